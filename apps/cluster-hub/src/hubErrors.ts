import { type ErrorBody, errorBody, httpStatusOf, KubeSmartError } from '@kubesmart/core';

/**
 * The body of every error the hub answers with: core's one shape (`error`, `code`, `message`), plus
 * `parameter`, the query parameter at fault, on 400s.
 */
export interface HubErrorBody extends ErrorBody {
  readonly parameter?: string;
}

/** An error the hub answers with as is: its status, a stable code, a message saying what to do. */
export class HubError extends Error {
  override readonly name = 'HubError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    readonly parameter?: string,
  ) {
    super(message);
  }
}

/** Core's {@link errorBody}, with the parameter at fault when there is one. */
export function hubErrorBody(
  status: number,
  code: string,
  message: string,
  parameter?: string,
): HubErrorBody {
  return { ...errorBody(status, code, message), ...(parameter ? { parameter } : {}) };
}

/**
 * Maps any error to a status, body and headers: the hub's own, core's (by core's status table),
 * Fastify's 4xx, else a 500 (details in the log).
 */
export function toErrorReply(error: unknown): {
  status: number;
  body: HubErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof HubError) {
    return {
      status: error.status,
      body: hubErrorBody(error.status, error.code, error.message, error.parameter),
      headers: error.headers,
    };
  }
  if (error instanceof KubeSmartError) {
    const status = httpStatusOf(error.code);
    return { status, body: hubErrorBody(status, error.code, error.message), headers: {} };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      status: fastify.statusCode,
      body: hubErrorBody(fastify.statusCode, fastify.code ?? 'BAD_REQUEST', fastify.message ?? 'bad request'),
      headers: {},
    };
  }
  return {
    status: 500,
    body: hubErrorBody(500, 'INTERNAL', 'The hub failed to answer; see its log.'),
    headers: {},
  };
}
