import { ErrorCode, KubeSmartError } from '@kubesmart/core';

/** An error the proxy answers with as is: a status and a message for the caller. */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly headers: Record<string, string>;

  constructor(statusCode: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
  }
}

/** The body of every error answer. */
export interface ErrorBody {
  error: string;
  code: string;
  message: string;
}

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.KV_KEY_INVALID]: 400,
  [ErrorCode.INVALID_ARGUMENT]: 400,
  [ErrorCode.KV_VALUE_TOO_LARGE]: 413,
  [ErrorCode.KV_CONFLICT]: 409,
  [ErrorCode.KV_OBJECT_TAKEN]: 409,
  [ErrorCode.CONFLICT]: 409,
  [ErrorCode.FORBIDDEN]: 403,
  [ErrorCode.NOT_FOUND]: 404,
  [ErrorCode.KV_NOT_FOUND]: 404,
  [ErrorCode.KUBE_API_UNAVAILABLE]: 503,
  [ErrorCode.TIMEOUT]: 504,
  [ErrorCode.CLOSED]: 503,
};

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Maps any error to a status and a body: the proxy's own {@link HttpError}s, the core's error codes,
 * and Fastify's 4xx (malformed JSON, unsupported media type, body too large). Anything else is a 500
 * whose details stay in the log.
 */
export function toHttpError(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof HttpError) {
    const status = error.statusCode;
    return {
      status,
      body: { error: REASONS[status] ?? 'Error', code: error.code, message: error.message },
      headers: error.headers,
    };
  }
  if (error instanceof KubeSmartError) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    const message =
      error.code === ErrorCode.FORBIDDEN
        ? `The proxy's Kubernetes identity may not do this: ${error.message}`
        : error.message;
    return { status, body: { error: REASONS[status] ?? 'Error', code: error.code, message }, headers: {} };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    const status = fastify.statusCode;
    const message =
      fastify.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || /JSON/.test(fastify.message ?? '')
        ? `The body is not valid JSON: ${fastify.message}`
        : (fastify.message ?? 'Bad request');
    return {
      status,
      body: { error: REASONS[status] ?? 'Error', code: fastify.code ?? 'BAD_REQUEST', message },
      headers: {},
    };
  }
  return {
    status: 500,
    body: { error: REASONS[500]!, code: 'INTERNAL', message: 'The proxy failed to answer; see its log.' },
    headers: {},
  };
}
