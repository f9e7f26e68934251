import type { IncomingHttpHeaders } from 'node:http';
import type { SmartService } from '@kubesmart/core';
import { type Dispatcher, request } from 'undici';
import { gatewayFailureOf } from './upstreamError.js';

/** Headers that belong to one connection (RFC 9110, 7.6.1) or that the HTTP client sets itself. */
const NOT_FORWARDED: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'expect',
]);

/** Response headers not copied back: hop-by-hop ones, and those describing the body before fetch decoded it. */
const NOT_RETURNED: ReadonlySet<string> = new Set([...NOT_FORWARDED, 'content-encoding']);

export interface ForwardInput {
  readonly method: string;
  /** Path and query sent to the pod. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer | undefined;
  readonly clientIp: string;
  readonly key: string | undefined;
}

export interface ForwardResult {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Pod that answered (`X-Replica-ID`); undefined when none did. */
  readonly pod: string | undefined;
  readonly attempts: number;
  /** The client sees a failure: a 5xx from the pods or no answer at all. */
  readonly failed: boolean;
}

function requestHeaders(input: ForwardInput): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const forwardedFor = input.headers['x-forwarded-for'];
  out['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${input.clientIp}` : input.clientIp;
  if (input.headers.host !== undefined) out['x-forwarded-host'] = input.headers.host;
  out['x-forwarded-proto'] ??= 'http';
  return out;
}

/** A 5xx answer of one attempt: a failure for the mesh (breaker, ejection, retry), kept to be returned if it was the last. */
class UpstreamStatus extends Error {
  readonly status: number;
  readonly answer: Answer;
  constructor(answer: Answer) {
    super(`${answer.pod} answered HTTP ${answer.status}`);
    this.name = 'UpstreamStatus';
    this.status = answer.status;
    this.answer = answer;
  }
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly pod: string;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined || NOT_RETURNED.has(name)) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The 5xx answer carried along an error's `cause` chain, if any. */
function heldAnswer(error: unknown): Answer | undefined {
  let current = error;
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    if (current instanceof UpstreamStatus) return current.answer;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Sends one client request to a service through the mesh: `svc.call()` picks the pod (balancer,
 * health, ejections, breakers) and retries on another one when that is safe (idempotent method, or
 * a request that never left), and each attempt is an undici `request` on a keep-alive pool per pod.
 * The answer is read whole, so the gateway can time it. Never throws for upstream failures: they
 * become the last pod's 5xx, or a 502/503/504 with a JSON body.
 */
export async function forwardRequest(
  service: SmartService,
  input: ForwardInput,
  dispatcher: Dispatcher,
): Promise<ForwardResult> {
  const headers = requestHeaders(input);
  const body = input.body !== undefined && input.body.length > 0 ? input.body : undefined;
  let attempts = 0;
  try {
    const answer = await service.call(
      async (endpoint, signal) => {
        attempts++;
        const res = await request(`${endpoint.url}${input.path}`, {
          method: input.method as Dispatcher.HttpMethod,
          headers,
          body,
          signal,
          dispatcher,
        });
        const answer: Answer = {
          status: res.statusCode,
          headers: responseHeaders(res.headers),
          body: Buffer.from(await res.body.arrayBuffer()),
          pod: endpoint.pod ?? endpoint.id,
        };
        if (answer.status >= 500) throw new UpstreamStatus(answer);
        return answer;
      },
      {
        idempotent: IDEMPOTENT_METHODS.has(input.method),
        ...(input.key === undefined ? {} : { key: input.key }),
      },
    );
    return { ...answer, attempts, failed: false };
  } catch (error) {
    const held = heldAnswer(error);
    if (held !== undefined) return { ...held, attempts, failed: true };
    const failure = gatewayFailureOf(error);
    return {
      status: failure.status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.from(JSON.stringify(failure.body)),
      pod: undefined,
      attempts: Math.max(1, attempts),
      failed: true,
    };
  }
}
