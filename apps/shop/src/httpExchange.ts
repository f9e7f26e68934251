import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body a shop service reads. */
const MAX_BODY_BYTES = 64 * 1024;

/** Where a request arrived: the fake pod's context in the emulator, or the process in a container. */
export interface ShopContext {
  /** Pod name, sent back in `X-Pod-Name`. */
  readonly pod: string;
}

/** A `node:http` request handler that is also a `@kubesmart/mock` pod handler. */
export type ShopHandler = (req: IncomingMessage, res: ServerResponse, ctx?: ShopContext) => Promise<void>;

/** An error answered to the client with `status` and a JSON `{ error }` body. */
export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, pod?: string): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (pod !== undefined) res.setHeader('X-Pod-Name', pod);
  res.end(text);
}

/** Reads the body as JSON; an empty body is `{}`. */
export async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new HttpError(400, 'request body must be a JSON object');
    return value as Record<string, unknown>;
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses a positive integer from a path segment, query or body value, or throws a 400. */
export function positiveInt(value: unknown, what: string): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < 1)
    throw new HttpError(400, `${what} must be a positive integer, got ${JSON.stringify(value ?? null)}`);
  return n;
}
