/** The one JSON shape of every error the hub answers with. */
export interface ErrorBody {
  success: false;
  status: number;
  /** Stable, for programs: `INVALID_API_KEY`, `AGENT_NOT_CONNECTED`, `BAD_PARAMETER`, ... */
  code: string;
  /** For people: what happened and what to do. */
  message: string;
  /** The query parameter at fault, for 400s. */
  parameter?: string;
  timestamp: string;
}

/** An error the hub answers with as is. */
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

export function errorBody(status: number, code: string, message: string, parameter?: string): ErrorBody {
  return {
    success: false,
    status,
    code,
    message,
    ...(parameter ? { parameter } : {}),
    timestamp: new Date().toISOString(),
  };
}

/** Maps any error to a status, body and headers: the hub's own, Fastify's 4xx, else a 500 (details in the log). */
export function toErrorReply(error: unknown): {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
} {
  if (error instanceof HubError) {
    return {
      status: error.status,
      body: errorBody(error.status, error.code, error.message, error.parameter),
      headers: error.headers,
    };
  }
  const fastify = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastify?.statusCode === 'number' && fastify.statusCode >= 400 && fastify.statusCode < 500) {
    return {
      status: fastify.statusCode,
      body: errorBody(fastify.statusCode, fastify.code ?? 'BAD_REQUEST', fastify.message ?? 'bad request'),
      headers: {},
    };
  }
  return {
    status: 500,
    body: errorBody(500, 'INTERNAL', 'The hub failed to answer; see its log.'),
    headers: {},
  };
}
