import { ErrorCode, KubeSmartError } from '@kubesmart/core';

/** How the gateway answers a request that got no response from any pod. */
export interface GatewayFailure {
  readonly status: 502 | 503 | 504;
  /** Error code for the JSON body, from core's `ErrorCode` (or `UPSTREAM`). */
  readonly code: string;
  readonly message: string;
}

const UNAVAILABLE: ReadonlySet<string> = new Set([
  ErrorCode.NO_HEALTHY_ENDPOINTS,
  ErrorCode.CIRCUIT_OPEN,
  ErrorCode.RETRY_BUDGET_EXHAUSTED,
  ErrorCode.SERVICE_NOT_FOUND,
  ErrorCode.KUBE_API_UNAVAILABLE,
  ErrorCode.CLOSED,
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof KubeSmartError) codes.push(current.code);
    else if ((current as { name?: unknown }).name === 'TimeoutError') codes.push(ErrorCode.TIMEOUT);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * Maps a failed call to a status: 503 when no pod could take it (none ready, every breaker open,
 * retry budget spent), 504 when the pods did not answer in time, 502 for other upstream failures.
 */
export function gatewayFailureOf(error: unknown): GatewayFailure {
  const codes = codesOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const unavailable = codes.find((code) => UNAVAILABLE.has(code));
  if (unavailable !== undefined) return { status: 503, code: unavailable, message };
  if (codes.includes(ErrorCode.TIMEOUT)) return { status: 504, code: ErrorCode.TIMEOUT, message };
  return { status: 502, code: codes[0] ?? ErrorCode.UPSTREAM, message };
}
