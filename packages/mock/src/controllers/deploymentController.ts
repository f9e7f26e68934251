import type { ResourceApi } from '../api/resourceApi.js';
import type { EventRecorder } from '../events/eventRecorder.js';
import { selectorFromLabelSelectorObject } from '../store/labelSelector.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { controlledBy, isActive, isReady, ownerRef } from './ownership.js';
import {
  HASH_LABEL,
  maxRevision,
  REVISION,
  replicaSetAnnotations,
  revisionOf,
  sameAnnotations,
  templateHash,
} from './rolloutRevisions.js';
import { keyOf, splitKey, WorkQueue } from './workQueue.js';

const DEPLOYMENTS = resourceByPath('apps/v1', 'deployments')!;
const REPLICASETS = resourceByPath('apps/v1', 'replicasets')!;
const PODS = resourceByPath('v1', 'pods')!;

/** The characters kube-apiserver uses for generated name suffixes (no vowels, no look-alikes). */
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A 5-character pod name suffix drawn with `random` (values in [0, 1)). */
export function podNameSuffix(random: () => number): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) {
    const r = Math.min(Math.max(random(), 0), 0.999_999_999);
    suffix += SUFFIX_ALPHABET[Math.floor(r * SUFFIX_ALPHABET.length)];
  }
  return suffix;
}

interface WorkloadSpec {
  replicas?: number;
  selector?: { matchLabels?: Record<string, string> };
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
}

const specOf = (obj: KubeObject): WorkloadSpec => (obj.spec ?? {}) as WorkloadSpec;

/**
 * Deployments own ReplicaSets (one per pod template), ReplicaSets own Pods. A template change makes a
 * new ReplicaSet and scales the old ones to zero; scaling adds or removes pods (not-ready ones first).
 * Each ReplicaSet records its rollout revision (`deployment.kubernetes.io/revision`, the Deployment's
 * copied annotations such as `kubernetes.io/change-cause`), so `kubectl rollout history` and `undo`
 * work; a template that matches an older ReplicaSet brings that one back as the newest revision.
 * Scaling and pod creation and deletion are recorded as Events.
 */
export class DeploymentController {
  readonly #deployments: WorkQueue;
  readonly #replicaSets: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly api: ResourceApi,
    private readonly events: EventRecorder,
    logger: Logger,
    private readonly random: () => number = Math.random,
  ) {
    this.#deployments = new WorkQueue('deployments', (key) => this.#reconcileDeployment(key), logger);
    this.#replicaSets = new WorkQueue('replicasets', (key) => this.#reconcileReplicaSet(key), logger);
    this.#unsubscribe = store.onChange((event) => this.#onChange(event));
    for (const d of store.list(DEPLOYMENTS))
      this.#deployments.enqueue(keyOf(d.metadata.namespace, d.metadata.name));
    for (const rs of store.list(REPLICASETS))
      this.#replicaSets.enqueue(keyOf(rs.metadata.namespace, rs.metadata.name));
  }

  close(): void {
    this.#unsubscribe();
    this.#deployments.close();
    this.#replicaSets.close();
  }

  #onChange({ resource, object }: StoreEvent): void {
    const owners = object.metadata.ownerReferences ?? [];
    if (resource === DEPLOYMENTS)
      this.#deployments.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
    if (resource === REPLICASETS) {
      this.#replicaSets.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
      for (const ref of owners)
        if (ref.kind === 'Deployment') this.#deployments.enqueue(keyOf(object.metadata.namespace, ref.name));
    }
    if (resource === PODS) {
      for (const ref of owners)
        if (ref.kind === 'ReplicaSet') this.#replicaSets.enqueue(keyOf(object.metadata.namespace, ref.name));
    }
  }

  #reconcileDeployment(key: string): void {
    const [namespace, name] = splitKey(key);
    const deployment = this.store.get(DEPLOYMENTS, namespace, name);
    if (!deployment) return;
    const spec = specOf(deployment);
    const hash = templateHash(spec.template);
    const owned = this.store.list(REPLICASETS, namespace).filter((rs) => controlledBy(rs, deployment));
    const found = owned.find((rs) => rs.metadata.labels?.[HASH_LABEL] === hash);
    const replicas = spec.replicas ?? 1;
    const latest = maxRevision(owned);
    const revision = found && revisionOf(found) === latest && latest > 0 ? latest : latest + 1;
    let current: KubeObject;
    if (!found) {
      const labels = { ...(spec.template?.metadata?.labels ?? {}), [HASH_LABEL]: hash };
      current = this.store.create(REPLICASETS, {
        apiVersion: REPLICASETS.apiVersion,
        kind: REPLICASETS.kind,
        metadata: {
          name: `${name}-${hash}`,
          namespace,
          labels,
          annotations: replicaSetAnnotations(deployment, undefined, revision, replicas),
          ownerReferences: [ownerRef(deployment)],
        },
        spec: {
          replicas,
          selector: { matchLabels: { ...(spec.selector?.matchLabels ?? {}), [HASH_LABEL]: hash } },
          template: { ...spec.template, metadata: { ...(spec.template?.metadata ?? {}), labels } },
        },
        status: { replicas: 0 },
      });
      if (replicas > 0) this.#recordScaling(deployment, current, 0, replicas);
    } else {
      current = found;
      const annotations = replicaSetAnnotations(deployment, found, revision, replicas);
      const from = specOf(found).replicas ?? 0;
      if (from !== replicas || !sameAnnotations(found.metadata.annotations, annotations)) {
        current = this.#writeReplicaSet(found, replicas, annotations);
        if (from !== replicas) this.#recordScaling(deployment, current, from, replicas);
      }
    }
    for (const old of owned) {
      const from = specOf(old).replicas ?? 0;
      if (old.metadata.uid !== current.metadata.uid && from !== 0) {
        this.#writeReplicaSet(old, 0, old.metadata.annotations ?? {});
        this.#recordScaling(deployment, old, from, 0);
      }
    }
    this.#writeDeploymentStatus(deployment, current, owned, revision);
  }

  #recordScaling(deployment: KubeObject, rs: KubeObject, from: number, to: number): void {
    const direction = to > from ? 'up' : 'down';
    this.events.record(deployment, {
      type: 'Normal',
      reason: 'ScalingReplicaSet',
      message: `Scaled ${direction} replica set ${rs.metadata.name} from ${from} to ${to}`,
      component: 'deployment-controller',
    });
  }

  #writeReplicaSet(rs: KubeObject, replicas: number, annotations: Record<string, string>): KubeObject {
    const next = structuredClone(rs) as KubeObject;
    (next.spec as WorkloadSpec).replicas = replicas;
    next.metadata.annotations = annotations;
    next.metadata.resourceVersion = '';
    return this.store.update(REPLICASETS, next);
  }

  #writeDeploymentStatus(
    deployment: KubeObject,
    current: KubeObject,
    owned: readonly KubeObject[],
    revision: number,
  ): void {
    const all = [...owned.filter((rs) => rs.metadata.uid !== current.metadata.uid), current];
    const sum = (pick: (s: Record<string, number>) => number | undefined): number =>
      all.reduce((total, rs) => total + (pick((rs.status ?? {}) as Record<string, number>) ?? 0), 0);
    const currentStatus = (current.status ?? {}) as Record<string, number>;
    const desired = specOf(deployment).replicas ?? 1;
    const available = sum((s) => s.availableReplicas);
    const updated = currentStatus.replicas ?? 0;
    const progressed =
      updated === desired &&
      sum((s) => s.replicas) === desired &&
      (currentStatus.availableReplicas ?? 0) >= desired;
    const status = {
      observedGeneration: deployment.metadata.generation ?? 1,
      replicas: sum((s) => s.replicas),
      updatedReplicas: currentStatus.replicas ?? 0,
      readyReplicas: sum((s) => s.readyReplicas),
      availableReplicas: available,
      ...(sum((s) => s.replicas) - available > 0
        ? { unavailableReplicas: sum((s) => s.replicas) - available }
        : {}),
      conditions: [
        {
          type: 'Available',
          status: available >= desired ? 'True' : 'False',
          reason: available >= desired ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          message:
            available >= desired
              ? 'Deployment has minimum availability.'
              : 'Deployment does not have minimum availability.',
        },
        progressed
          ? {
              type: 'Progressing',
              status: 'True',
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${current.metadata.name}" has successfully progressed.`,
            }
          : {
              type: 'Progressing',
              status: 'True',
              reason: 'ReplicaSetUpdated',
              message: `ReplicaSet "${current.metadata.name}" is progressing.`,
            },
      ],
    };
    const fresh = this.store.get(DEPLOYMENTS, deployment.metadata.namespace, deployment.metadata.name ?? '');
    if (!fresh) return;
    const annotated = fresh.metadata.annotations?.[REVISION] === String(revision);
    if (annotated && JSON.stringify(fresh.status) === JSON.stringify(status)) return;
    this.store.update(DEPLOYMENTS, {
      ...fresh,
      status,
      metadata: {
        ...fresh.metadata,
        annotations: { ...(fresh.metadata.annotations ?? {}), [REVISION]: String(revision) },
        resourceVersion: '',
      },
    });
  }

  #reconcileReplicaSet(key: string): void {
    const [namespace, name] = splitKey(key);
    const rs = this.store.get(REPLICASETS, namespace, name);
    if (!rs) return;
    const spec = specOf(rs);
    const selector = selectorFromLabelSelectorObject(spec.selector);
    const pods = this.store
      .list(PODS, namespace)
      .filter((pod) => controlledBy(pod, rs) && selector.matches(pod.metadata.labels));
    const active = pods.filter(isActive);
    const desired = spec.replicas ?? 1;
    for (let i = active.length; i < desired; i += 1) this.#createPod(rs);
    if (active.length > desired) {
      const victims = [...active]
        .sort(
          (a, b) =>
            Number(isReady(a)) - Number(isReady(b)) ||
            (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
        )
        .slice(0, active.length - desired);
      for (const pod of victims) {
        this.store.delete(PODS, namespace, pod.metadata.name ?? '');
        this.#recordPod(rs, 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
      }
    }
    const remaining = this.store
      .list(PODS, namespace)
      .filter((pod) => controlledBy(pod, rs) && isActive(pod));
    const ready = remaining.filter(isReady).length;
    const status = {
      replicas: remaining.length,
      fullyLabeledReplicas: remaining.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    if (JSON.stringify(rs.status) !== JSON.stringify(status)) {
      const fresh = this.store.get(REPLICASETS, namespace, name);
      if (fresh)
        this.store.update(REPLICASETS, {
          ...fresh,
          status,
          metadata: { ...fresh.metadata, resourceVersion: '' },
        });
    }
  }

  #recordPod(rs: KubeObject, reason: string, message: string): void {
    this.events.record(rs, { type: 'Normal', reason, message, component: 'replicaset-controller' });
  }

  #createPod(rs: KubeObject): void {
    const template = specOf(rs).template ?? {};
    const suffix = podNameSuffix(this.random);
    const pod = this.api.create(PODS, rs.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(template.metadata ?? {}),
        name: `${rs.metadata.name}-${suffix}`,
        namespace: rs.metadata.namespace,
        ownerReferences: [ownerRef(rs)],
      },
      spec: structuredClone(template.spec ?? {}),
    });
    this.#recordPod(rs, 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`);
  }
}
