import { CallTimeoutError, KubeSmartError, RetryBudgetExhaustedError, UpstreamError } from '../errors.js';
import { classifyFailure } from './classifyFailure.js';
import { describeService, type ServiceTarget, serviceDetails } from './noEndpointError.js';

/** Why a call stopped after a failed attempt. */
export type StopReason = 'attempts-exhausted' | 'not-idempotent' | 'status-not-retried' | 'no-endpoint-left';

/** What a hedge's failover event carries: the slow attempt's endpoint had not answered in time. */
export function hedgeError(service: ServiceTarget, endpoint: string, delayMs: number): CallTimeoutError {
  return new CallTimeoutError(
    `An attempt of a call to ${describeService(service)} on ${endpoint} had no answer after ${Math.round(delayMs)} ms (the hedge delay, from the latency observed); a hedge went to another endpoint and the first answer wins.`,
    { details: { ...serviceDetails(service), endpoint, delayMs } },
  );
}

/** The error for a call whose retry the retry budget refused. */
export function retryBudgetError(
  service: ServiceTarget,
  tried: readonly string[],
  cause: unknown,
): RetryBudgetExhaustedError {
  return new RetryBudgetExhaustedError(
    `A call to ${describeService(service)} failed on ${tried.join(', ')} (${describe(cause)}) and was not retried: the retry budget is spent, which keeps retries from piling load on failing pods. Find out why the pods fail; raise the budget only if this many retries are expected.`,
    { cause, details: { ...serviceDetails(service), endpoints: [...tried], attempts: tried.length } },
  );
}

/** The error for a call that failed on its endpoints and stopped for `reason`. */
export function failureError(
  service: ServiceTarget,
  tried: readonly string[],
  cause: unknown,
  reason: StopReason,
): UpstreamError {
  const { status } = classifyFailure(cause, { idempotent: true, retryOn: [] });
  const attempts = tried.length;
  const what = `A call to ${describeService(service)} failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${tried.join(', ')}): ${describe(cause)}.`;
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
    details: { ...serviceDetails(service), endpoints: [...tried], attempts, reason },
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
