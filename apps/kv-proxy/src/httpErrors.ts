import { type ErrorBody, ErrorCode, errorBody, httpStatusOf, KubeSmartError } from '@kubesmart/core';

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

/** The body of every error answer: core's one shape. */
export type { ErrorBody } from '@kubesmart/core';

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
      body: errorBody(status, error.code, error.message),
      headers: error.headers,
    };
  }
  if (error instanceof KubeSmartError) {
    const status = httpStatusOf(error.code);
    const message =
      error.code === ErrorCode.FORBIDDEN
        ? `The proxy's Kubernetes identity may not do this: ${error.message}`
        : error.message;
    return { status, body: errorBody(status, error.code, message), headers: {} };
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
      body: errorBody(status, fastify.code ?? 'BAD_REQUEST', message),
      headers: {},
    };
  }
  return {
    status: 500,
    body: errorBody(500, 'INTERNAL', 'The proxy failed to answer; see its log.'),
    headers: {},
  };
}
