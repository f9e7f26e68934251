import type { SmartService } from '@kubesmart/core';
import type { RouteConfig } from './config/gatewayConfig.js';
import type { MeshCounters, MeshEvent } from './meshEvents.js';
import type { RouteMetrics } from './metrics/metricsRecorder.js';

/** One pod of a service as `/mesh/status` shows it: the mesh's view and the gateway's observations. */
export interface EndpointView {
  readonly id: string;
  readonly pod: string;
  readonly url: string;
  readonly zone: string | undefined;
  readonly node: string | undefined;
  /** Takes requests now. */
  readonly available: boolean;
  /** `serving`, or why not: `ejected`, `circuit-open`, `unhealthy`. */
  readonly state: 'serving' | 'ejected' | 'circuit-open' | 'unhealthy';
  /** Active health checks: `unknown` until the first probe. */
  readonly health: 'unknown' | 'healthy' | 'unhealthy';
  readonly circuit: 'closed' | 'open' | 'half-open';
  readonly ejected: boolean;
  readonly ejectedForMs: number | undefined;
  readonly ejections: number;
  readonly inflight: number;
  /** The balancer's latency estimate (peak EWMA), ms. */
  readonly latencyMs: number;
  /** Attempts sent to this pod, and those that failed (the mesh's counters). */
  readonly attempts: number;
  readonly failures: number;
  /** Answers this pod gave through the gateway: rate, p50/p99 over the last seconds, totals. */
  readonly rate: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly requests: number;
  readonly errors: number;
}

export interface ServiceView {
  readonly name: string;
  readonly service: string;
  readonly namespace: string;
  readonly path: string;
  readonly balancer: string;
  readonly ready: boolean;
  /** Endpoints may lag the cluster (API connection lost). */
  readonly stale: boolean;
  /** `healthy`: every pod serving; `degraded`: some; `down`: none. */
  readonly health: 'healthy' | 'degraded' | 'down';
  readonly endpoints: readonly EndpointView[];
  readonly available: number;
  readonly total: number;
  readonly panic: boolean;
  readonly breakers: Readonly<Record<'closed' | 'open' | 'half-open', number>>;
  readonly ejected: number;
  readonly counters: MeshCounters & {
    readonly requests: number;
    readonly errors: number;
    readonly retried: number;
    readonly retries: number;
    readonly budgetExhausted: number;
    readonly statuses: RouteMetrics['statuses'];
  };
  readonly rate: number;
  readonly errorRate: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly settings: {
    readonly retry: RouteConfig['retry'];
    readonly circuitBreaker: RouteConfig['circuitBreaker'];
    readonly outlierDetection: RouteConfig['outlierDetection'];
    readonly healthCheck: RouteConfig['healthCheck'];
  };
}

/** What a driver of the gateway (the demo) says it is doing, shown by the dashboard beside the numbers. */
export interface ScenarioNote {
  /** The step running now, or the last one once `finished`. */
  readonly step?: {
    readonly index: number;
    readonly count: number;
    readonly title: string;
    readonly explain: string;
  };
  /** The fault each pod has now, by pod name: `killed`, `hung`, `slowed by 150 ms`. */
  readonly faults: Readonly<Record<string, string>>;
  readonly finished?: boolean;
  /** The run's summary, one fact a line, once finished. */
  readonly summary?: readonly string[];
}

export interface MeshStatus {
  readonly time: string;
  readonly uptimeSeconds: number;
  readonly services: Readonly<Record<string, ServiceView>>;
  readonly events: readonly MeshEvent[];
  /** Set with `gateway.annotate()`. */
  readonly scenario?: ScenarioNote;
}

const round = (n: number | undefined, digits = 2): number | undefined =>
  n === undefined ? undefined : Math.round(n * 10 ** digits) / 10 ** digits;

/** The `/mesh/status` view of one route. */
export function serviceView(
  route: RouteConfig,
  service: SmartService,
  metrics: RouteMetrics,
  counters: MeshCounters,
  nowMs: number,
): ServiceView {
  const status = service.status();
  const endpoints: EndpointView[] = status.endpoints.map((e) => {
    const pod = e.endpoint.pod ?? e.endpoint.id;
    const seen = metrics.pods[pod];
    const state: EndpointView['state'] = e.available
      ? 'serving'
      : e.ejected
        ? 'ejected'
        : e.circuit !== 'closed'
          ? 'circuit-open'
          : 'unhealthy';
    return {
      id: e.endpoint.id,
      pod,
      url: e.endpoint.url,
      zone: e.endpoint.zone,
      node: e.endpoint.node,
      available: e.available,
      state,
      health: e.health,
      circuit: e.circuit,
      ejected: e.ejected,
      ejectedForMs:
        e.ejectedUntil === undefined ? undefined : Math.max(0, Math.round(e.ejectedUntil - nowMs)),
      ejections: e.ejections,
      inflight: e.inflight,
      latencyMs: round(e.latencyMs) ?? 0,
      attempts: e.requests,
      failures: e.failures,
      rate: round(seen?.rate ?? 0, 1) ?? 0,
      p50Ms: round(seen?.p50Ms),
      p99Ms: round(seen?.p99Ms),
      requests: seen?.requests ?? 0,
      errors: seen?.errors ?? 0,
    };
  });
  endpoints.sort((a, b) => a.pod.localeCompare(b.pod));
  const available = endpoints.filter((e) => e.available).length;
  return {
    name: route.name,
    service: route.service,
    namespace: route.namespace,
    path: route.path,
    balancer: status.balancer,
    ready: status.ready,
    stale: status.stale,
    health: available === 0 ? 'down' : available < endpoints.length ? 'degraded' : 'healthy',
    endpoints,
    available,
    total: endpoints.length,
    panic: status.panic,
    breakers: status.breakers,
    ejected: status.ejected,
    counters: {
      ...counters,
      requests: metrics.requests,
      errors: metrics.errors,
      retried: metrics.retried,
      retries: metrics.retries,
      budgetExhausted: status.calls.budgetExhausted,
      statuses: metrics.statuses,
    },
    rate: round(metrics.rate, 1) ?? 0,
    errorRate: round(metrics.errorRate, 2) ?? 0,
    p50Ms: round(metrics.p50Ms),
    p99Ms: round(metrics.p99Ms),
    settings: {
      retry: route.retry,
      circuitBreaker: route.circuitBreaker,
      outlierDetection: route.outlierDetection,
      healthCheck: route.healthCheck,
    },
  };
}
