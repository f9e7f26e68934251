import type { PermissionReport } from '../discovery/checkPermissions.js';
import type { DiscoverySource, ServiceDiscoveryStatus } from '../discovery/serviceDiscoveryOptions.js';
import type { CircuitState, EndpointSnapshot } from '../endpoints/endpointState.js';
import type { KubeSmartError } from '../errors.js';
import type { RetryBudgetStatus } from '../resilience/retryBudget.js';
import type { Endpoint } from '../types.js';
import type { ServiceEngines } from './serviceEngines.js';

/** Where a service's endpoints come from now: discovery, or the configured fallback endpoint. */
export type ServiceSource = DiscoverySource | 'fallback';

/** One endpoint with its health, ejection and breaker state. */
export interface EndpointStatus extends EndpointSnapshot {
  /** Recent ejections by outlier detection (each one lasts longer). */
  readonly ejections: number;
  /** Duration of the last passing active health check, in ms; undefined without checks. */
  readonly probeLatencyMs: number | undefined;
}

/** Counts of a service's calls (`call()` and `fetch()`), since it was made. */
export interface CallCounts {
  readonly calls: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Attempts retried on another endpoint, hedges included. */
  readonly failovers: number;
  /** Hedges sent to another endpoint because an attempt was slow. */
  readonly hedges: number;
  /** Hedges not sent because the hedge budget was spent. */
  readonly hedgesRefused: number;
  /** Retries refused by the retry budget. */
  readonly budgetExhausted: number;
}

/** A snapshot of one service: kubeSmartService's four fields first, then everything else. */
export interface ServiceStatus {
  /**
   * Latency of the last successful call, else of the last request to the active endpoint, else of
   * its last passing health check (kubeSmartService's connect latency), in ms.
   */
  readonly latencyMs: number | undefined;
  /** How many endpoints are known (the length of `endpoints`; a pod may serve several). */
  readonly endpointCount: number;
  /** @deprecated The endpoint count under its 0.1 name: use `endpointCount`; goes in 0.3.0. */
  readonly pods: number;
  /** Attempts retried on another endpoint (kubeSmartService's `failover_count`). */
  readonly failoverCount: number;
  /** Pod (else `host:port`) of the endpoint used last. */
  readonly activePod: string | undefined;
  readonly service: string;
  readonly namespace: string;
  /** A first endpoint list is known, or the fallback is in force. */
  readonly ready: boolean;
  /** The endpoints may lag the cluster: API connection lost (last known kept), or fallback in force. */
  readonly stale: boolean;
  readonly source: ServiceSource;
  /** The KubeSmart runs without a cluster (offline / mock mode). */
  readonly offline: boolean;
  readonly closed: boolean;
  readonly endpoints: readonly EndpointStatus[];
  /** Endpoints that can take requests now. */
  readonly available: number;
  /** Too few endpoints are available, so all of them are used. */
  readonly panic: boolean;
  /** Endpoints ejected by outlier detection now. */
  readonly ejected: number;
  /** Endpoints per circuit breaker state. */
  readonly breakers: Readonly<Record<CircuitState, number>>;
  readonly balancer: string;
  readonly calls: CallCounts;
  readonly retryBudget: RetryBudgetStatus;
  /** Discovery details; undefined offline. */
  readonly discovery: ServiceDiscoveryStatus | undefined;
  /** The permission check run at start; undefined until it answered (or offline). */
  readonly permissions: PermissionReport | undefined;
  readonly lastError: KubeSmartError | undefined;
}

export interface StatusFacts {
  service: string;
  namespace: string;
  source: ServiceSource;
  ready: boolean;
  stale: boolean;
  offline: boolean;
  closed: boolean;
  discovery: ServiceDiscoveryStatus | undefined;
  permissions: PermissionReport | undefined;
  lastError: KubeSmartError | undefined;
  /** Endpoint used last, by `pick()` or a call. */
  active: Endpoint | undefined;
  now: number;
}

/** Every endpoint's state, with its ejection count. */
export function endpointStatuses(engines: ServiceEngines, now: number): EndpointStatus[] {
  const probes = new Map(engines.health?.status().map((h) => [h.endpoint.id, h.lastLatencyMs]));
  return engines.set.all.map((state) => ({
    ...state.snapshot(now),
    ejections: engines.outliers?.ejections(state) ?? 0,
    probeLatencyMs: probes.get(state.id),
  }));
}

/** Builds a {@link ServiceStatus} from the engines and the facts the service holds. */
export function serviceStatus(engines: ServiceEngines, facts: StatusFacts): ServiceStatus {
  const endpoints = endpointStatuses(engines, facts.now);
  const failover = engines.failover.status();
  const active = facts.active ?? failover.lastEndpoint;
  const activeStatus = active === undefined ? undefined : endpoints.find((e) => e.endpoint.id === active.id);
  const breakers: Record<CircuitState, number> = { closed: 0, open: 0, 'half-open': 0 };
  for (const e of endpoints) breakers[e.circuit]++;
  return {
    latencyMs: failover.lastLatencyMs ?? activeStatus?.lastLatencyMs ?? activeStatus?.probeLatencyMs,
    endpointCount: endpoints.length,
    pods: endpoints.length,
    failoverCount: failover.failovers,
    activePod: active === undefined ? undefined : (active.pod ?? active.id),
    service: facts.service,
    namespace: facts.namespace,
    ready: facts.ready,
    stale: facts.stale,
    source: facts.source,
    offline: facts.offline,
    closed: facts.closed,
    endpoints,
    available: endpoints.filter((e) => e.available).length,
    panic: engines.set.panic,
    ejected: endpoints.filter((e) => e.ejected).length,
    breakers,
    balancer: engines.balancer.name,
    calls: {
      calls: failover.calls,
      succeeded: failover.succeeded,
      failed: failover.failed,
      failovers: failover.failovers,
      hedges: failover.hedges,
      hedgesRefused: failover.hedgesRefused,
      budgetExhausted: failover.budgetExhausted,
    },
    retryBudget: engines.budget.status(),
    discovery: facts.discovery,
    permissions: facts.permissions,
    lastError: facts.lastError,
  };
}
