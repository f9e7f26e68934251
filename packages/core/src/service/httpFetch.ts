import { fetch, type RequestInit, type Response } from 'undici';
import { UpstreamError } from '../errors.js';
import type { AttemptFn, CallOptions } from '../resilience/failoverOptions.js';
import type { Endpoint } from '../types.js';
import type { EndpointPools } from './endpointPools.js';

/** `fetch()` options: undici's `RequestInit` plus how the request fails over. */
export interface SmartFetchInit extends RequestInit {
  /**
   * Whether repeating the request is safe. Retries after a connection error, a timeout or a
   * 502/503/504 happen only for idempotent requests (a non-idempotent one is retried only when it
   * provably never reached a pod: connection refused).
   * @default true for GET, HEAD, OPTIONS, PUT, DELETE, TRACE; false for POST, PATCH and others
   */
  idempotent?: boolean;
  /** Time each attempt may take until the response headers, in ms. @default the service's `retry.timeoutMs` */
  timeoutMs?: number;
  /** Retries after the first attempt. @default the service's `retry.retries` (0 for a streamed body) */
  retries?: number;
  /** Key for consistent hashing. */
  key?: string;
}

/** Runs attempts with failover: `Failover.execute`, or a wrapper of it. */
export type FailoverExecute = <T>(fn: AttemptFn<T>, options?: CallOptions) => Promise<T>;

/** An undici `Response` that also says which endpoint answered and after how many attempts (hedges included). */
export type SmartResponse = Response & {
  /** The endpoint (pod) that sent this response. */
  readonly endpoint: Endpoint;
  /** Attempts made, this one included. */
  readonly attempts: number;
};

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/** Whether a request with `method` is idempotent by HTTP semantics (RFC 9110, 9.2.2). */
export const isIdempotentMethod = (method: string): boolean => IDEMPOTENT_METHODS.has(method.toUpperCase());

/** The path and query of `input`: a path (`/x?y`), or a URL whose origin is replaced by the endpoint's. */
export function requestPath(input: string | URL): string {
  if (input instanceof URL) return `${input.pathname}${input.search}`;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    const url = new URL(input);
    return `${url.pathname}${url.search}`;
  }
  return input.startsWith('/') ? input : `/${input}`;
}

/** A body that can be sent once only (a stream), so the request cannot be retried. */
function isOneShot(body: unknown): boolean {
  if (body === null || body === undefined || typeof body === 'string') return false;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body) || body instanceof URLSearchParams)
    return false;
  if (typeof Blob !== 'undefined' && body instanceof Blob) return false;
  if (typeof FormData !== 'undefined' && body instanceof FormData) return false;
  const b = body as { getReader?: unknown; pipe?: unknown; [Symbol.asyncIterator]?: unknown };
  return (
    typeof b.getReader === 'function' ||
    typeof b.pipe === 'function' ||
    typeof b[Symbol.asyncIterator] === 'function'
  );
}

function discard(response: Response | undefined): void {
  if (response?.body && !response.bodyUsed) void response.body.cancel().catch(() => {});
}

function decorate(response: Response, endpoint: Endpoint, attempts: number): SmartResponse {
  Object.defineProperty(response, 'endpoint', { value: endpoint, enumerable: true });
  Object.defineProperty(response, 'attempts', { value: attempts, enumerable: true });
  return response as SmartResponse;
}

/**
 * Sends an HTTP request to the picked endpoints with failover. 4xx responses are returned as
 * responses; a 5xx counts as the endpoint's failure and is retried when idempotent and in
 * `retryOn`; when the last attempt got a 5xx, that response is returned (as a proxy would), while
 * a last attempt that failed on a connection error or timeout rejects with the failover's error.
 */
export async function httpFetch(
  execute: FailoverExecute,
  pools: EndpointPools,
  input: string | URL,
  init: SmartFetchInit = {},
): Promise<SmartResponse> {
  const { idempotent, timeoutMs, retries, key, signal, ...request } = init;
  const path = requestPath(input);
  const method = (request.method ?? 'GET').toUpperCase();
  const oneShot = isOneShot(request.body);
  let held: { response: Response; endpoint: Endpoint } | undefined;
  let attempts = 0;
  const dropHeld = (): void => {
    discard(held?.response);
    held = undefined;
  };
  const attempt = async (endpoint: Endpoint, attemptSignal: AbortSignal): Promise<SmartResponse> => {
    dropHeld();
    attempts++;
    const response = await fetch(new URL(path, endpoint.url), {
      redirect: 'manual',
      ...request,
      ...(oneShot ? { duplex: 'half' } : {}),
      method,
      signal: attemptSignal,
      dispatcher: pools.get(endpoint),
    });
    if (attemptSignal.aborted) {
      discard(response);
      throw attemptSignal.reason;
    }
    if (response.status >= 500) {
      held = { response, endpoint };
      throw new UpstreamError(`${endpoint.id} answered HTTP ${response.status} to ${method} ${path}`, {
        status: response.status,
        details: { endpoint: endpoint.id, pod: endpoint.pod },
      });
    }
    // A hedge that failed with a 5xx while this attempt was under way: its response is not needed.
    dropHeld();
    return decorate(response, endpoint, attempts);
  };
  try {
    return await execute((state, attemptSignal) => attempt(state.endpoint, attemptSignal), {
      idempotent: idempotent ?? isIdempotentMethod(method),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(retries === undefined ? (oneShot ? { retries: 0 } : {}) : { retries }),
      ...(key === undefined ? {} : { key }),
      ...(signal ? { signal: signal as AbortSignal } : {}),
    });
  } catch (error) {
    const last = held;
    // The last attempt got a 5xx (a retry was not allowed or found no endpoint): answer with it.
    if (last !== undefined && !signal?.aborted) {
      return decorate(last.response, last.endpoint, attempts);
    }
    discard(last?.response);
    throw error;
  }
}
