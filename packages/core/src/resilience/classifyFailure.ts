import { CallTimeoutError, UpstreamError } from '../errors.js';

/** How a failed attempt counts. */
export interface FailureClass {
  /** The endpoint failed (connection error, timeout, 5xx): counts against its health and breaker. */
  readonly endpointFault: boolean;
  /** The request provably never reached the server (refused, unreachable, connect timeout). */
  readonly notSent: boolean;
  /** The request may be tried again on another endpoint. */
  readonly retryable: boolean;
  /** HTTP status, when the error carries one. */
  readonly status: number | undefined;
}

export interface ClassifyOptions {
  /** Whether the request is safe to repeat. Non-idempotent requests are retried only when not sent. */
  idempotent: boolean;
  /** Statuses retried for idempotent requests. */
  retryOn: readonly number[];
}

/** Errors raised before any byte of the request could reach the server. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Connection failures after the request may have been (partly) sent. */
const MAYBE_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Classifies a failed attempt. Retried: connection errors, timeouts and the `retryOn` statuses
 * (502, 503, 504 by default) for idempotent requests; only never-sent failures (connection refused,
 * unreachable, connect timeout) for the others. Never retried: 4xx and errors it does not know,
 * which are the caller's own and do not count against the endpoint. Statuses are read from
 * `UpstreamError.status` and from the `status`, `statusCode` or `response.status` of other
 * clients' errors; error codes are looked up along the `cause` chain (fetch wraps them).
 */
export function classifyFailure(error: unknown, options: ClassifyOptions): FailureClass {
  const status = statusOf(error);
  if (status !== undefined) {
    const fault = status >= 500;
    return {
      endpointFault: fault,
      notSent: false,
      retryable: fault && options.idempotent && options.retryOn.includes(status),
      status,
    };
  }
  if (hasTimeout(error)) {
    return { endpointFault: true, notSent: false, retryable: options.idempotent, status: undefined };
  }
  const code = codeOf(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return { endpointFault: true, notSent: true, retryable: true, status: undefined };
  }
  if (code !== undefined && MAYBE_SENT_CODES.has(code)) {
    return { endpointFault: true, notSent: false, retryable: options.idempotent, status: undefined };
  }
  return { endpointFault: false, notSent: false, retryable: false, status: undefined };
}

function statusOf(error: unknown): number | undefined {
  if (error instanceof UpstreamError) return error.status;
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; statusCode?: unknown; response?: { status?: unknown } };
  for (const value of [e.status, e.statusCode, e.response?.status]) {
    if (typeof value === 'number' && value >= 100 && value <= 599) return value;
  }
  return undefined;
}

function hasTimeout(error: unknown): boolean {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof CallTimeoutError) return true;
    if ((current as { name?: unknown }).name === 'TimeoutError') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function codeOf(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (NOT_SENT_CODES.has(code) || MAYBE_SENT_CODES.has(code))) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
