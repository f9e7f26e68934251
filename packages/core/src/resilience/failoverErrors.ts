import type { EndpointState } from '../endpoints/endpointState.js';
import {
  CallTimeoutError,
  CircuitOpenError,
  KubeSmartError,
  NoHealthyEndpointsError,
  RetryBudgetExhaustedError,
  UpstreamError,
} from '../errors.js';
import { classifyFailure } from './classifyFailure.js';

/** Why a call stopped after a failed attempt. */
export type StopReason = 'attempts-exhausted' | 'not-idempotent' | 'status-not-retried' | 'no-endpoint-left';

/** The error for a call that found no endpoint for its first attempt. */
export function noEndpointError(service: string, refused: ReadonlySet<EndpointState>): KubeSmartError {
  if (refused.size > 0) {
    const endpoints = [...refused].map((state) => state.id);
    return new CircuitOpenError(
      `No call was sent to ${service}: the circuit breaker of every endpoint that could take it is open (${endpoints.join(', ')}) after repeated failures. Calls resume when a breaker turns half-open; check those pods' logs for why they fail.`,
      { details: { service, endpoints } },
    );
  }
  return new NoHealthyEndpointsError(
    `No endpoint of ${service} can take the call: it has no ready pods, or all of them are unhealthy or ejected. Check the pods and their readiness (kubectl get endpointslices -l kubernetes.io/service-name=<name>), or configure a fallback endpoint.`,
    { details: { service } },
  );
}

/** What a hedge's failover event carries: the slow attempt's endpoint had not answered in time. */
export function hedgeError(service: string, endpoint: string, delayMs: number): CallTimeoutError {
  return new CallTimeoutError(
    `An attempt of a call to ${service} on ${endpoint} had no answer after ${Math.round(delayMs)} ms (the hedge delay, from the latency observed); a hedge went to another endpoint and the first answer wins.`,
    { details: { service, endpoint, delayMs } },
  );
}

/** The error for a call whose retry the retry budget refused. */
export function retryBudgetError(
  service: string,
  tried: readonly string[],
  cause: unknown,
): RetryBudgetExhaustedError {
  return new RetryBudgetExhaustedError(
    `A call to ${service} failed on ${tried.join(', ')} (${describe(cause)}) and was not retried: the retry budget is spent, which keeps retries from piling load on failing pods. Find out why the pods fail; raise the budget only if this many retries are expected.`,
    { cause, details: { service, endpoints: [...tried], attempts: tried.length } },
  );
}

/** The error for a call that failed on its endpoints and stopped for `reason`. */
export function failureError(
  service: string,
  tried: readonly string[],
  cause: unknown,
  reason: StopReason,
): UpstreamError {
  const { status } = classifyFailure(cause, { idempotent: true, retryOn: [] });
  const attempts = tried.length;
  const what = `A call to ${service} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${tried.join(', ')}): ${describe(cause)}.`;
  const advice: Record<StopReason, string> = {
    'attempts-exhausted':
      'Check those pods (logs, readiness, load), or raise `retries` if failures are expected to be brief.',
    'not-idempotent':
      'It was not retried because the request may have reached the server and is not marked idempotent; pass `{ idempotent: true }` if repeating it is safe.',
    'status-not-retried': `Status ${status} is not in \`retryOn\`, so it was not retried; check the pod's logs.`,
    'no-endpoint-left': 'No other endpoint was available to retry on; check the pods and their readiness.',
  };
  return new UpstreamError(`${what} ${advice[reason]}`, {
    cause,
    ...(status === undefined ? {} : { status }),
    details: { service, endpoints: [...tried], attempts, reason },
  });
}

function describe(error: unknown): string {
  if (error instanceof KubeSmartError) return error.message;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
    return typeof code === 'string' && !error.message.includes(code)
      ? `${error.message} (${code})`
      : error.message;
  }
  return String(error);
}
