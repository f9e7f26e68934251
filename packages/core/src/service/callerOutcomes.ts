import type { EndpointSet } from '../endpoints/endpointSet.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { ActiveHealthChecker } from '../health/activeHealthChecker.js';
import type { OutlierDetector } from '../health/outlierDetector.js';
import type { CircuitBreaker } from '../resilience/circuitBreaker.js';
import { classifyFailure } from '../resilience/classifyFailure.js';
import type { Endpoint } from '../types.js';

/**
 * Outcomes of requests the mesh did not send itself: a caller's own client on an endpoint from
 * `pick()` (through `svc.report()`), or a reachability check. They feed the same engines as the
 * failover's own attempts.
 */
export interface OutcomeSinks {
  readonly set: EndpointSet;
  readonly health: ActiveHealthChecker | undefined;
  readonly outliers: OutlierDetector | undefined;
  readonly breaker: CircuitBreaker | undefined;
}

/** A failure seen on an endpoint: why, whether it is conclusive (refused), when, how long it took. */
export interface ReportedFailure {
  readonly reason: string;
  readonly conclusive: boolean;
  readonly now: number;
  readonly latencyMs?: number | undefined;
}

/** The live state of `endpoint` in the set: same id and same pod; undefined when it left. */
export function stateOf(set: EndpointSet, endpoint: Endpoint): EndpointState | undefined {
  const state = set.get(endpoint.id);
  return state !== undefined && state.endpoint.pod === endpoint.pod ? state : undefined;
}

/**
 * Counts a failure against `state`: its stats, breaker and outlier detection. A refused connection
 * (`conclusive`) marks it unhealthy at once when active checks run; any other failure asks them to
 * probe it now.
 */
export function reportFailure(
  sinks: Omit<OutcomeSinks, 'set'>,
  state: EndpointState,
  failure: ReportedFailure,
): void {
  state.recordOutcome(failure.latencyMs, false, failure.now);
  if (failure.conclusive) state.markUnreachable();
  sinks.breaker?.onFailure(state);
  sinks.outliers?.onFailure(state);
  if (failure.conclusive) sinks.health?.markUnhealthy(state, failure.reason);
  else sinks.health?.checkNow(state);
}

/**
 * Records how a caller's own request to `state` went: no `error` is a success; an error counts
 * against the endpoint when `classifyFailure` says it is the endpoint's fault (connection errors,
 * timeouts, 5xx), and is the caller's own otherwise (4xx, bugs), which counts as served.
 */
export function reportOutcome(
  sinks: OutcomeSinks,
  state: EndpointState,
  error: unknown,
  latencyMs: number | undefined,
  now: number,
): void {
  const failure = error === undefined ? undefined : classifyFailure(error, { idempotent: true, retryOn: [] });
  if (failure === undefined || !failure.endpointFault) {
    state.recordOutcome(latencyMs, true, now);
    sinks.breaker?.onSuccess(state);
    sinks.outliers?.onSuccess(state);
    return;
  }
  const reason = error instanceof Error ? error.message : String(error);
  reportFailure(sinks, state, { reason, conclusive: failure.notSent, now, latencyMs });
}
