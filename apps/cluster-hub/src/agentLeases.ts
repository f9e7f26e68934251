import type { KubeSmart } from '@kubesmart/core';
import { ConflictError, KubeObjectNotFoundError } from '@kubesmart/core';
import type { WatchCacheRegistry } from '@kubesmart/core/building-blocks';
import type { AgentSession } from './agentSession.js';

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;
const MANAGED_BY = 'app.kubernetes.io/managed-by';
const MANAGER = 'kubesmart-cluster-hub';
const ANNOTATION = 'hub.kubesmart.dev';

interface LeaseObject {
  metadata?: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
  };
}

/** Another replica's hold on an agent, as its Lease says. */
export interface RemoteAgent {
  agentId: string;
  clusterId: string;
  version: string;
  replica: string;
  /** Base URL of the holding replica (the hop). */
  url: string;
  connectedSince: string;
  renewedAt: string;
}

/** Kubernetes MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

export function leaseName(agentId: string): string {
  return `kubesmart-hub-agent-${agentId}`.slice(0, 253);
}

export interface AgentLeasesOptions {
  kubeSmart: KubeSmart;
  namespace: string;
  replicaId: string;
  /** URL other replicas reach this one at; read when a Lease is written. */
  url: () => string;
  /** Seconds a Lease stays valid without renewal. @default 15 */
  durationSeconds?: number;
  now?: () => number;
}

/**
 * Presence of agents across replicas: one Lease per agent (`kubesmart-hub-agent-<id>`), held by the
 * replica with its session and renewed every third of its duration, like kubelet's node Leases. A
 * Lease not renewed within its duration is stale: its replica is gone. Reads come from one watch
 * cache of the hub's Leases.
 */
export class AgentLeases {
  readonly #ks: KubeSmart;
  readonly #namespace: string;
  readonly #replica: string;
  readonly #url: () => string;
  readonly #duration: number;
  readonly #now: () => number;
  readonly #handle: ReturnType<WatchCacheRegistry['acquire']>;
  readonly #held = new Map<string, AgentSession>();
  readonly #timer: NodeJS.Timeout;
  #closed = false;

  constructor(options: AgentLeasesOptions) {
    this.#ks = options.kubeSmart;
    this.#namespace = options.namespace;
    this.#replica = options.replicaId;
    this.#url = options.url;
    this.#duration = options.durationSeconds ?? 15;
    this.#now = options.now ?? Date.now;
    this.#handle = options.kubeSmart.context.registry.acquire({
      resource: LEASES,
      namespace: this.#namespace,
      labelSelector: `${MANAGED_BY}=${MANAGER}`,
    });
    this.#timer = setInterval(() => void this.#renewAll(), (this.#duration * 1000) / 3);
  }

  get #path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.#namespace}/leases`;
  }

  /** Takes (or takes over) the Lease of a session's agent. */
  async hold(session: AgentSession): Promise<void> {
    this.#held.set(session.agentId, session);
    const now = this.#now();
    const body = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: leaseName(session.agentId),
        namespace: this.#namespace,
        labels: { [MANAGED_BY]: MANAGER, [`${ANNOTATION}/agent`]: session.agentId },
        annotations: {
          [`${ANNOTATION}/url`]: this.#url(),
          [`${ANNOTATION}/cluster`]: session.clusterId,
          [`${ANNOTATION}/agent-version`]: session.hello.agentVersion,
          [`${ANNOTATION}/connected-since`]: session.connectedAt.toISOString(),
        },
      },
      spec: {
        holderIdentity: this.#replica,
        leaseDurationSeconds: this.#duration,
        acquireTime: microTime(now),
        renewTime: microTime(now),
      },
    };
    const { client } = this.#ks.context;
    try {
      await client.request('POST', this.#path, { body });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await client.request('PATCH', `${this.#path}/${leaseName(session.agentId)}`, {
        body: { metadata: body.metadata, spec: body.spec },
        contentType: 'application/merge-patch+json',
      });
    }
  }

  /** Gives the Lease up when the session ends, unless another replica took it over. */
  async release(session: AgentSession): Promise<void> {
    if (this.#held.get(session.agentId) !== session) return;
    this.#held.delete(session.agentId);
    const lease = this.#lease(session.agentId);
    if (lease && lease.spec?.holderIdentity !== this.#replica) return;
    try {
      await this.#ks.context.client.request('DELETE', `${this.#path}/${leaseName(session.agentId)}`);
    } catch (error) {
      if (!(error instanceof KubeObjectNotFoundError)) throw error;
    }
  }

  /** Whether another replica holds a fresh Lease of `agentId` (and where), from the watch cache. */
  remote(agentId: string): RemoteAgent | undefined {
    const lease = this.#lease(agentId);
    return lease ? this.#remoteOf(lease) : undefined;
  }

  /** Every agent another replica holds a fresh Lease of. */
  remotes(): RemoteAgent[] {
    return (this.#handle.cache.items() as LeaseObject[])
      .map((lease) => this.#remoteOf(lease))
      .filter((r): r is RemoteAgent => r !== undefined);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    await Promise.allSettled([...this.#held.values()].map((s) => this.release(s)));
    this.#handle.release();
  }

  #lease(agentId: string): LeaseObject | undefined {
    return this.#handle.cache.get(this.#namespace, leaseName(agentId)) as LeaseObject | undefined;
  }

  #remoteOf(lease: LeaseObject): RemoteAgent | undefined {
    const spec = lease.spec ?? {};
    const notes = lease.metadata?.annotations ?? {};
    const agentId = lease.metadata?.labels?.[`${ANNOTATION}/agent`];
    const renewed = Date.parse(spec.renewTime ?? '');
    const fresh =
      Number.isFinite(renewed) &&
      renewed + (spec.leaseDurationSeconds ?? this.#duration) * 1000 > this.#now();
    if (!agentId || !fresh || !spec.holderIdentity || spec.holderIdentity === this.#replica) return undefined;
    const url = notes[`${ANNOTATION}/url`];
    if (!url) return undefined;
    return {
      agentId,
      clusterId: notes[`${ANNOTATION}/cluster`] ?? '',
      version: notes[`${ANNOTATION}/agent-version`] ?? '',
      replica: spec.holderIdentity,
      url,
      connectedSince: notes[`${ANNOTATION}/connected-since`] ?? '',
      renewedAt: new Date(renewed).toISOString(),
    };
  }

  async #renewAll(): Promise<void> {
    const { client } = this.#ks.context;
    for (const [agentId, session] of this.#held) {
      const lease = this.#lease(agentId);
      // Another replica took the agent over after this session began: this session is stale.
      if (lease?.spec?.holderIdentity && lease.spec.holderIdentity !== this.#replica) {
        const acquired = Date.parse(lease.spec.acquireTime ?? '');
        if (acquired > session.connectedAt.getTime()) {
          this.#held.delete(agentId);
          session.close(4001, 'the agent connected to another replica');
          continue;
        }
      }
      try {
        if (!lease) await this.hold(session);
        else {
          await client.request('PATCH', `${this.#path}/${leaseName(agentId)}`, {
            body: { spec: { holderIdentity: this.#replica, renewTime: microTime(this.#now()) } },
            contentType: 'application/merge-patch+json',
          });
        }
      } catch (error) {
        this.#ks.context.logger.warn(
          { err: error, agent: agentId },
          'renewing an agent Lease failed; retrying',
        );
      }
    }
  }
}
