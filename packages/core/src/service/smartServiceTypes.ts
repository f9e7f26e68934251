import type { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import type { PermissionReport } from '../discovery/checkPermissions.js';
import type { KubeSmartError } from '../errors.js';
import type { HealthEvent } from '../health/activeHealthCheckOptions.js';
import type { EjectionEvent, RestoreEvent } from '../health/outlierDetector.js';
import type { BreakerEvent } from '../resilience/circuitBreaker.js';
import type { CallOptions, FailoverEvent } from '../resilience/failoverOptions.js';
import type { Clock, Endpoint, Logger, Random } from '../types.js';
import type { ResolvedServiceOptions } from './smartServiceOptions.js';

/** Events of a `SmartService`: `svc.on(name, listener)`. */
export type SmartServiceEvents = {
  /** The endpoint list changed (discovery, or the fallback coming into force). */
  change: [endpoints: readonly Endpoint[]];
  /** Outlier detection ejected an endpoint. */
  ejected: [event: EjectionEvent];
  /** An ejected endpoint is back. */
  restored: [event: RestoreEvent];
  /** A failed attempt is retried on another endpoint. */
  failover: [event: FailoverEvent];
  /** An endpoint's circuit breaker changed state. */
  breaker: [event: BreakerEvent];
  /** Active health checks changed an endpoint's health. */
  health: [event: HealthEvent];
  /** Endpoints became stale (API connection lost; last known kept) or fresh again. */
  stale: [stale: boolean];
  /** Discovery failed (it keeps trying). */
  error: [error: KubeSmartError];
};

/** What a `KubeSmart` hands to each service it makes. */
export interface SmartServiceInit {
  name: string;
  options: ResolvedServiceOptions;
  /** The shared watch caches; undefined offline (the fallback endpoint is used). */
  registry: WatchCacheRegistry | undefined;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** The start-up permission report for this service's namespace and source, once known. */
  permissions?: () => PermissionReport | undefined;
  /** Called once when the service closes. */
  onClose?: () => void;
}

/** Options of `ready()`. */
export interface ReadyOptions {
  /**
   * Longest wait for a first discovery, in ms; with a `fallback`, the fallback is used after it.
   * @default the service's `readyTimeoutMs` (30000)
   */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Also wait until every endpoint had its first active health check (with its retries), so the
   * first pick avoids pods that do not answer.
   * @default false
   */
  healthChecked?: boolean;
}

/** Options of `report()`. */
export interface ReportOptions {
  /** How long the request took, in ms, to feed the latency-aware balancers. @default undefined */
  latencyMs?: number;
}

/** Options of one `call()`: idempotency, per-attempt timeout, retries, balancing key, abort signal. */
export type SmartCallOptions = CallOptions;
