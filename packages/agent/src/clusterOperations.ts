import type { Writable } from 'node:stream';
import type { KubePod, KubeSmart } from '@kubesmart/core';
import type { WatchCacheRegistry } from '@kubesmart/core/building-blocks';
import type {
  EventsParams,
  EventsResult,
  LogsParams,
  NamespacesResult,
  PodResult,
  PodsParams,
  PodsResult,
  ServicesParams,
  ServicesResult,
} from './protocol/index.js';

/** An operation failed in a way the caller should hear about (not found, forbidden). */
export class OperationError extends Error {
  override readonly name = 'OperationError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface SliceJson {
  metadata?: { labels?: Record<string, string> };
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean };
    targetRef?: { name?: string };
    nodeName?: string;
  }[];
}

const SERVICE_NAME = 'kubernetes.io/service-name';
const iso = (date: Date | undefined): string | null => (date ? date.toISOString() : null);

/**
 * The agent's operations, answered with the query engine of one `KubeSmart`. Namespaces, pods,
 * services and EndpointSlices are held in cluster-wide watch caches from the start, so those answers
 * cost no API call; events are listed on demand and logs read from the pod's log subresource.
 */
export class ClusterOperations {
  readonly #ks: KubeSmart;
  readonly #handles: ReturnType<WatchCacheRegistry['acquire']>[];

  constructor(ks: KubeSmart) {
    this.#ks = ks;
    const { registry } = ks.context;
    this.#handles = [
      { group: '', version: 'v1', resource: 'namespaces' },
      { group: '', version: 'v1', resource: 'pods' },
      { group: '', version: 'v1', resource: 'services' },
      { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
    ].map((resource) => registry.acquire({ resource }));
  }

  /** Every cache has listed once. */
  get synced(): boolean {
    return this.#handles.every((h) => h.cache.synced());
  }

  async namespaces(): Promise<NamespacesResult> {
    const list = await this.#ks.query.namespaces().all();
    return {
      namespaces: list.map((ns) => ({
        name: ns.name,
        status: ns.phase,
        created_at:
          typeof ns.raw.metadata?.creationTimestamp === 'string' ? ns.raw.metadata.creationTimestamp : null,
        labels: { ...ns.labels },
        annotations: { ...ns.annotations },
      })),
    };
  }

  async pods(params: PodsParams): Promise<PodsResult> {
    let query = this.#ks.query.pods();
    if (params.namespace) query = query.inNamespace(params.namespace);
    if (params.broken) query = query.broken();
    const pods = await query.all();
    const results: PodResult[] = [];
    for (const pod of pods) {
      const result = this.#pod(pod);
      if (params.diagnose && pod.broken) {
        const d = await pod.explainError();
        result.diagnosis = {
          reason: d.reason ?? null,
          summary: d.summary,
          findings: d.findings.map((f) => ({
            reason: f.reason,
            container: f.container ?? null,
            summary: f.summary,
            fix: f.fix,
          })),
        };
      }
      results.push(result);
    }
    return { pods: results };
  }

  async services(params: ServicesParams): Promise<ServicesResult> {
    let services = this.#ks.query.services();
    let slices = this.#ks.query.endpointSlices();
    if (params.namespace) {
      services = services.inNamespace(params.namespace);
      slices = slices.inNamespace(params.namespace);
    }
    const [serviceList, sliceList] = await Promise.all([services.all(), slices.all()]);
    const byService = new Map<string, SliceJson[]>();
    for (const slice of sliceList) {
      const raw = slice.raw as SliceJson;
      const owner = `${slice.namespace}/${raw.metadata?.labels?.[SERVICE_NAME] ?? ''}`;
      byService.set(owner, [...(byService.get(owner) ?? []), raw]);
    }
    return {
      services: serviceList.map((svc) => ({
        name: svc.name,
        namespace: svc.namespace ?? '',
        type: svc.type,
        cluster_ip: svc.clusterIP ?? null,
        ports: svc.ports.map((p) => ({
          name: p.name ?? null,
          port: p.port ?? null,
          target_port: p.targetPort ?? null,
          protocol: p.protocol ?? 'TCP',
        })),
        selector: { ...svc.selector },
        endpoints: (byService.get(`${svc.namespace}/${svc.name}`) ?? []).flatMap((slice) =>
          (slice.endpoints ?? []).flatMap((e) =>
            (e.addresses ?? []).map((ip) => ({
              ip,
              ready: e.conditions?.ready !== false,
              pod: e.targetRef?.name ?? null,
              node: e.nodeName ?? null,
            })),
          ),
        ),
      })),
    };
  }

  async events(params: EventsParams): Promise<EventsResult> {
    let query = this.#ks.query.events();
    if (params.namespace) query = query.inNamespace(params.namespace);
    const events = await query.all();
    const sorted = [...events].sort((a, b) => (b.lastSeen?.getTime() ?? 0) - (a.lastSeen?.getTime() ?? 0));
    return {
      events: sorted.slice(0, params.limit ?? 100).map((e) => ({
        namespace: e.namespace ?? '',
        type: e.type,
        reason: e.reason,
        message: e.message,
        count: e.count,
        object: { kind: e.involvedObject.kind ?? null, name: e.involvedObject.name ?? null },
        last_seen: iso(e.lastSeen),
      })),
    };
  }

  /**
   * Streams the pod's log into `sink` as the API server sends it (never the whole log in memory);
   * `ready` is called once the pod and container are known to exist, before the first byte.
   */
  async logs(params: LogsParams, sink: Writable, ready: () => void, signal: AbortSignal): Promise<void> {
    const pod = await this.#ks.query
      .pods()
      .inNamespace(params.namespace)
      .named(params.pod)
      .firstOrUndefined();
    if (!pod) {
      throw new OperationError('NOT_FOUND', `pod "${params.pod}" is not in namespace "${params.namespace}"`);
    }
    if (params.container && !pod.containers.includes(params.container)) {
      throw new OperationError(
        'NOT_FOUND',
        `pod "${params.pod}" has no container "${params.container}" (it has ${pod.containers.join(', ')})`,
      );
    }
    ready();
    await pod.streamLogs(sink, {
      ...(params.container ? { container: params.container } : {}),
      ...(params.tailLines ? { tailLines: params.tailLines } : {}),
      signal,
    });
  }

  close(): void {
    for (const handle of this.#handles) handle.release();
  }

  #pod(pod: KubePod): PodResult {
    return {
      name: pod.name,
      namespace: pod.namespace ?? '',
      phase: pod.phase,
      status: pod.status,
      ready: pod.ready,
      restarts: pod.restarts,
      node: pod.nodeName ?? null,
      ip: pod.ip ?? null,
      created_at: iso(pod.createdAt),
      broken: pod.broken,
      broken_reason: pod.brokenReason ?? null,
    };
  }
}
