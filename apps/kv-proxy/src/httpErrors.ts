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
 * and Fastify's 4xx (malformed JSON, unsupported media type, body too large). The cluster's own words
 * (API server address, RBAC rules) never reach the caller: 403s from the cluster and every 5xx answer
 * with a short message; the error handler logs the details under the request id the answer carries.
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
    // What the cluster said (its URL, the Role rule that is missing) stays in the proxy's log.
    const message =
      error.code === ErrorCode.FORBIDDEN
        ? "The proxy's Kubernetes identity may not do this; its operator can find the missing Role rule in the proxy's log."
        : status >= 500
          ? "The proxy could not reach the Kubernetes API in time; retry later. Details are in the proxy's log."
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
