import { badRequest } from '../kubeApiError.js';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import type { PatchType } from './patch/index.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch/index.js';
import type { ResourceApi } from './resourceApi.js';

/** The autoscaling/v1 `Scale` view of a Deployment or ReplicaSet. */
export function scaleOf(obj: KubeObject): KubeObject {
  const spec = (obj.spec ?? {}) as { replicas?: number; selector?: { matchLabels?: Record<string, string> } };
  const status = (obj.status ?? {}) as { replicas?: number };
  const selector = Object.entries(spec.selector?.matchLabels ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector },
  };
}

function replicasOf(scale: unknown): number {
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw badRequest('spec.replicas of a Scale must be a non-negative integer');
  }
  return replicas;
}

/** Writes a new replica count given as a full Scale (PUT) or a patch of one (PATCH). */
export function writeScale(
  api: ResourceApi,
  rt: ResourceType,
  namespace: string | undefined,
  name: string,
  change: { scale: unknown } | { patchType: PatchType; patch: unknown },
): KubeObject {
  const current = api.get(rt, namespace, name);
  let scale: unknown;
  if ('scale' in change) scale = change.scale;
  else if (change.patchType === 'json') scale = applyJsonPatch(scaleOf(current), change.patch);
  else if (change.patchType === 'merge') scale = applyMergePatch(scaleOf(current), change.patch);
  else scale = applyStrategicMergePatch(scaleOf(current), change.patch, 'Scale');
  const replicas = replicasOf(scale);
  // A Scale that names a resourceVersion other than the object's is stale: 409 Conflict, as for PUT.
  const expected = (scale as { metadata?: { resourceVersion?: unknown } }).metadata?.resourceVersion;
  const updated = api.update(rt, namespace, name, {
    ...current,
    metadata: {
      ...current.metadata,
      resourceVersion:
        typeof expected === 'string' && expected !== '' ? expected : current.metadata.resourceVersion,
    },
    spec: { ...(current.spec as object), replicas },
  });
  return scaleOf(updated);
}
