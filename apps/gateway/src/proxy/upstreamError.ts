import { type ErrorBody, ErrorCode, errorBody, errorCodesOf, httpStatusOf } from '@kubesmart/core';

/** How the gateway answers a request that got no response from any pod: core's status and body. */
export interface GatewayFailure {
  readonly status: 502 | 503 | 504;
  readonly body: ErrorBody;
}

/**
 * Maps a failed call to an answer with core's error table: 503 when a code in the error or its causes
 * means no pod could take it (none ready, every breaker open, retry budget spent, no such Service),
 * 504 when the pods did not answer in time, and 502 for any other upstream failure.
 */
export function gatewayFailureOf(error: unknown): GatewayFailure {
  const codes = errorCodesOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const unavailable = codes.find((code) => httpStatusOf(code) === 503);
  if (unavailable !== undefined) return { status: 503, body: errorBody(503, unavailable, message) };
  if (codes.includes(ErrorCode.TIMEOUT))
    return { status: 504, body: errorBody(504, ErrorCode.TIMEOUT, message) };
  return { status: 502, body: errorBody(502, codes[0] ?? ErrorCode.UPSTREAM, message) };
}
