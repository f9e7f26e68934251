import type { KubeSmartError } from '../errors.js';
import type { HealthEvent } from '../health/activeHealthCheckOptions.js';
import type { EjectionEvent, RestoreEvent } from '../health/outlierDetector.js';
import type { BreakerEvent } from '../resilience/circuitBreaker.js';
import type { FailoverEvent } from '../resilience/failoverOptions.js';
import type { Endpoint } from '../types.js';

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
