import { ErrorCode, KubeSmartError } from './errors.js';

/**
 * How an error code answers over HTTP, for every server built on core (the gateway, kv-proxy, the
 * adapters' health routes): one table, so a code means the same status everywhere.
 */
export const HTTP_STATUS_BY_CODE: Readonly<Record<ErrorCode, number>> = Object.freeze({
  INVALID_ARGUMENT: 400,
  KV_KEY_INVALID: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  QUERY_NOT_FOUND: 404,
  CONFLICT: 409,
  KV_CONFLICT: 409,
  KV_OBJECT_TAKEN: 409,
  EXPIRED: 410,
  KV_VALUE_TOO_LARGE: 413,
  UPSTREAM: 502,
  SERVICE_NOT_FOUND: 503,
  NO_HEALTHY_ENDPOINTS: 503,
  CIRCUIT_OPEN: 503,
  RETRY_BUDGET_EXHAUSTED: 503,
  KUBE_API_UNAVAILABLE: 503,
  CLOSED: 503,
  TIMEOUT: 504,
});

/** Reason phrases of the statuses servers built on core answer with (RFC 9110). */
export const HTTP_REASONS: Readonly<Record<number, string>> = Object.freeze({
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
});

/** The JSON body of every error answer: the reason phrase, the error code and what happened. */
export interface ErrorBody {
  readonly error: string;
  readonly code: string;
  readonly message: string;
}

/** The HTTP status of an error code; 500 for a code core does not know. */
export function httpStatusOf(code: string): number {
  return (HTTP_STATUS_BY_CODE as Readonly<Record<string, number>>)[code] ?? 500;
}

/** An {@link ErrorBody} for a status, a code and a message. */
export function errorBody(status: number, code: string, message: string): ErrorBody {
  return { error: HTTP_REASONS[status] ?? 'Error', code, message };
}

/**
 * The codes of an error and of its causes, outermost first (a `TimeoutError` from an abort signal
 * counts as {@link ErrorCode.TIMEOUT}).
 */
export function errorCodesOf(error: unknown): ErrorCode[] {
  const codes: ErrorCode[] = [];
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof KubeSmartError) codes.push(current.code);
    else if ((current as { name?: unknown }).name === 'TimeoutError') codes.push(ErrorCode.TIMEOUT);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}
