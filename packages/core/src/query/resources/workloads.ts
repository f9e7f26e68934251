import type { KubeObject } from '../../cluster/kubeObject.js';
import { resourcePath } from '../../cluster/resources.js';
import { ConflictError, InvalidArgumentError } from '../../errors.js';
import { formatAge } from '../format/duration.js';
import type { KindName, KindTypes } from '../kinds.js';
import { formatSelector, type LabelSelectorJson, requirementsOfSelector } from '../labelSelector.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type PodQuery = KindTypes['pods']['query'];
type ReplicaSetQuery = KindTypes['replicasets']['query'];

/** `{ to: 3 }` sets the replica count; `{ by: -1 }` changes it. */
export type ScaleChange = { to: number } | { by: number };

interface WorkloadJson extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: LabelSelectorJson;
    template?: { spec?: { containers?: { image?: string }[] } };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
  };
}

/** What Deployments and ReplicaSets share: replicas, a selector, the scale subresource. */
abstract class Workload extends KubeResource {
  constructor(runtime: QueryRuntime, kind: KindName, raw: KubeObject) {
    super(runtime, kind, raw);
  }

  protected get json(): WorkloadJson {
    return this.raw as WorkloadJson;
  }

  /** Desired replicas. */
  get replicas(): number {
    return this.json.spec?.replicas ?? 1;
  }

  get readyReplicas(): number {
    return this.json.status?.readyReplicas ?? 0;
  }

  get availableReplicas(): number {
    return this.json.status?.availableReplicas ?? 0;
  }

  /** The image of the pod template's first container. */
  get image(): string {
    return this.json.spec?.template?.spec?.containers?.[0]?.image ?? '';
  }

  /** The pod selector as `kubectl -l` text. */
  get selector(): string {
    return formatSelector(requirementsOfSelector(this.json.spec?.selector)) ?? '';
  }

  override get status(): string {
    if (this.replicas === 0) return 'ScaledDown';
    return this.readyReplicas >= this.replicas
      ? 'Available'
      : this.readyReplicas > 0
        ? 'Degraded'
        : 'Unavailable';
  }

  override columns(): Record<string, unknown> {
    return {
      namespace: this.namespace,
      name: this.name,
      ready: `${this.readyReplicas}/${this.replicas}`,
      status: this.status,
      age: formatAge(this.age),
      image: this.image,
    };
  }

  /** Pods matching the selector, in this namespace (one label-selected list). */
  pods(): PodQuery {
    const labels = requirementsOfSelector(this.json.spec?.selector);
    const query = this.runtime.query('pods', { labels, names: labels.length === 0 ? [] : undefined });
    return query.inNamespace(this.namespace ?? '');
  }

  /**
   * Changes the replica count through the scale subresource and returns the new count. A `by` change
   * reads the current count first and retries on a conflicting write.
   */
  async scale(change: ScaleChange): Promise<number> {
    const path = `${resourcePath(this.info.ref, this.namespace, this.name)}/scale`;
    const { client } = this.runtime.context;
    for (let attempt = 0; ; attempt += 1) {
      const current =
        'by' in change
          ? await client.request<{ spec?: { replicas?: number }; metadata?: { resourceVersion?: string } }>(
              'GET',
              path,
            )
          : undefined;
      const replicas = 'to' in change ? change.to : (current?.spec?.replicas ?? 0) + change.by;
      if (!Number.isInteger(replicas) || replicas < 0) {
        throw new InvalidArgumentError(
          `scale(): ${this} would get ${replicas} replicas; the count must be a whole number >= 0.`,
        );
      }
      const body = {
        spec: { replicas },
        ...(current ? { metadata: { resourceVersion: current.metadata?.resourceVersion } } : {}),
      };
      try {
        const scale = await client.request<{ spec?: { replicas?: number } }>('PATCH', path, {
          body,
          contentType: 'application/merge-patch+json',
        });
        return scale.spec?.replicas ?? replicas;
      } catch (error) {
        if (!(error instanceof ConflictError) || attempt >= 2) throw error;
      }
    }
  }
}

/** A Deployment: replicas, image, its pods and ReplicaSets, scale and rollout restart. */
export class KubeDeployment extends Workload {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'deployments', raw);
  }

  /** ReplicaSets matching the selector (old and new revisions). */
  replicaSets(): ReplicaSetQuery {
    return this.runtime
      .query('replicasets', { labels: requirementsOfSelector(this.json.spec?.selector) })
      .inNamespace(this.namespace ?? '');
  }

  /** A rollout restart, as `kubectl rollout restart`: stamps the pod template so every pod is replaced. */
  restart(): Promise<this> {
    const restartedAt = new Date(this.runtime.settings.now()).toISOString();
    return this.patch({
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': restartedAt } } } },
    });
  }
}

/** A ReplicaSet: replicas, its pods, and the Deployment that owns it. */
export class KubeReplicaSet extends Workload {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'replicasets', raw);
  }

  /** The name of the owning Deployment, if any. */
  get owner(): string | undefined {
    const refs = (this.raw.metadata?.ownerReferences ?? []) as { kind?: string; name?: string }[];
    return refs.find((r) => r.kind === 'Deployment')?.name;
  }
}
