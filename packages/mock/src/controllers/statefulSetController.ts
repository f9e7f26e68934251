import type { ResourceApi } from '../api/resourceApi.js';
import type { EventRecorder } from '../events/eventRecorder.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { controlledBy, isActive, isReady, ownerRef } from './ownership.js';
import { templateHash } from './rolloutRevisions.js';
import { keyOf, splitKey, WorkQueue } from './workQueue.js';

const STATEFULSETS = resourceByPath('apps/v1', 'statefulsets')!;
const PODS = resourceByPath('v1', 'pods')!;
const CLAIMS = resourceByPath('v1', 'persistentvolumeclaims')!;

const REVISION_LABEL = 'controller-revision-hash';

interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: Record<string, unknown> };
  volumeClaimTemplates?: { metadata?: { name?: string; labels?: Record<string, string> }; spec?: unknown }[];
}

const ordinalOf = (set: string, pod: KubeObject): number => {
  const name = pod.metadata.name ?? '';
  const suffix = name.startsWith(`${set}-`) ? name.slice(set.length + 1) : '';
  return /^\d+$/.test(suffix) ? Number(suffix) : -1;
};

/**
 * StatefulSets keep pods with stable names NAME-0, NAME-1, ...: created in order, each once the one
 * before runs and is ready (all at once under `podManagementPolicy: Parallel`), removed from the
 * highest ordinal down, and replaced one at a time from the highest ordinal when the template
 * changes. Each pod gets its claims from `volumeClaimTemplates` (CLAIM-NAME-i), its hostname and the
 * governing service as subdomain. Status reports ready, current and updated replicas and revisions.
 */
export class StatefulSetController {
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly api: ResourceApi,
    private readonly events: EventRecorder,
    logger: Logger,
  ) {
    this.#queue = new WorkQueue('statefulsets', (key) => this.#reconcile(key), logger);
    this.#unsubscribe = store.onChange((event) => this.#onChange(event));
    for (const set of store.list(STATEFULSETS))
      this.#queue.enqueue(keyOf(set.metadata.namespace, set.metadata.name));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onChange({ resource, object }: StoreEvent): void {
    if (resource === STATEFULSETS)
      this.#queue.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
    if (resource === PODS) {
      for (const ref of object.metadata.ownerReferences ?? [])
        if (ref.kind === 'StatefulSet' && ref.controller)
          this.#queue.enqueue(keyOf(object.metadata.namespace, ref.name));
    }
  }

  #reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const set = this.store.get(STATEFULSETS, namespace, name);
    if (!set) return;
    const spec = (set.spec ?? {}) as StatefulSetSpec;
    const replicas = spec.replicas ?? 1;
    const revision = `${name}-${templateHash(spec.template)}`;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const pods = this.store
      .list(PODS, namespace)
      .filter((pod) => controlledBy(pod, set) && ordinalOf(name, pod) >= 0)
      .sort((a, b) => ordinalOf(name, a) - ordinalOf(name, b));
    const byOrdinal = new Map(pods.map((pod) => [ordinalOf(name, pod), pod]));
    // Finished pods are replaced, as the real controller recreates failed ones.
    for (const pod of pods) if (!isActive(pod)) this.#deletePod(set, pod);
    let changed = false;
    for (let i = 0; i < replicas; i += 1) {
      const pod = byOrdinal.get(i);
      if (!pod || !isActive(pod)) {
        this.#createPod(set, spec, i, revision);
        changed = true;
        if (!parallel) break;
      } else if (!parallel && !isReady(pod)) break;
    }
    const extra = pods.filter((pod) => ordinalOf(name, pod) >= replicas && isActive(pod)).reverse();
    if (!changed && extra.length > 0) {
      for (const pod of parallel ? extra : extra.slice(0, 1)) this.#deletePod(set, pod);
      changed = true;
    }
    const inRange = pods.filter((pod) => ordinalOf(name, pod) < replicas && isActive(pod));
    if (!changed && inRange.length === replicas && inRange.every(isReady)) {
      const outdated = inRange.filter((pod) => pod.metadata.labels?.[REVISION_LABEL] !== revision);
      const last = outdated[outdated.length - 1];
      if (last) this.#deletePod(set, last);
    }
    this.#writeStatus(set, revision);
  }

  #writeStatus(set: KubeObject, revision: string): void {
    const namespace = set.metadata.namespace;
    const name = set.metadata.name ?? '';
    const pods = this.store.list(PODS, namespace).filter((pod) => controlledBy(pod, set) && isActive(pod));
    const updated = pods.filter((pod) => pod.metadata.labels?.[REVISION_LABEL] === revision).length;
    const replicas = ((set.spec ?? {}) as StatefulSetSpec).replicas ?? 1;
    const previous = (set.status ?? {}) as { currentRevision?: string };
    const complete = updated === pods.length && pods.length === replicas;
    const currentRevision = complete || !previous.currentRevision ? revision : previous.currentRevision;
    const ready = pods.filter(isReady).length;
    const status = {
      observedGeneration: set.metadata.generation ?? 1,
      replicas: pods.length,
      readyReplicas: ready,
      currentReplicas: currentRevision === revision ? updated : pods.length - updated,
      updatedReplicas: updated,
      availableReplicas: ready,
      currentRevision,
      updateRevision: revision,
      collisionCount: 0,
    };
    const fresh = this.store.get(STATEFULSETS, namespace, name);
    if (!fresh || JSON.stringify(fresh.status) === JSON.stringify(status)) return;
    this.store.update(STATEFULSETS, {
      ...fresh,
      status,
      metadata: { ...fresh.metadata, resourceVersion: '' },
    });
  }

  #deletePod(set: KubeObject, pod: KubeObject): void {
    this.store.delete(PODS, set.metadata.namespace, pod.metadata.name ?? '');
    this.#record(
      set,
      'SuccessfulDelete',
      `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`,
    );
  }

  #createPod(set: KubeObject, spec: StatefulSetSpec, ordinal: number, revision: string): void {
    const setName = set.metadata.name ?? '';
    const podName = `${setName}-${ordinal}`;
    const volumes = [...((spec.template?.spec?.volumes ?? []) as { name: string }[])];
    for (const claim of spec.volumeClaimTemplates ?? []) {
      const claimName = `${claim.metadata?.name ?? 'data'}-${podName}`;
      if (!this.store.get(CLAIMS, set.metadata.namespace, claimName)) {
        this.api.create(CLAIMS, set.metadata.namespace, {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { name: claimName, labels: { ...(claim.metadata?.labels ?? {}) } },
          spec: structuredClone(claim.spec ?? {}),
        });
        this.#record(
          set,
          'SuccessfulCreate',
          `create Claim ${claimName} Pod ${podName} in StatefulSet ${setName} success`,
        );
      }
      volumes.push({ name: claim.metadata?.name ?? 'data', persistentVolumeClaim: { claimName } } as {
        name: string;
      });
    }
    this.api.create(PODS, set.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(spec.template?.metadata ?? {}),
        name: podName,
        namespace: set.metadata.namespace,
        labels: {
          ...(spec.template?.metadata?.labels ?? {}),
          [REVISION_LABEL]: revision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(ordinal),
        },
        ownerReferences: [ownerRef(set)],
      },
      spec: {
        ...structuredClone(spec.template?.spec ?? {}),
        hostname: podName,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
        ...(volumes.length > 0 ? { volumes } : {}),
      },
    });
    this.#record(set, 'SuccessfulCreate', `create Pod ${podName} in StatefulSet ${setName} successful`);
  }

  #record(set: KubeObject, reason: string, message: string): void {
    this.events.record(set, { type: 'Normal', reason, message, component: 'statefulset-controller' });
  }
}
