import type { IncomingHttpHeaders } from 'node:http';
import type { SmartService } from '@kubesmart/core';
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

/**
 * Sends one client request to a service through the mesh (`svc.fetch`: balanced, health-aware,
 * retried on another pod when safe, breakers) and reads the whole answer, so the gateway can time it.
 * Never throws for upstream failures: they become a 502/503/504 answer with a JSON body.
 */
export async function forwardRequest(service: SmartService, input: ForwardInput): Promise<ForwardResult> {
  try {
    const response = await service.fetch(input.path, {
      method: input.method,
      headers: requestHeaders(input),
      ...(input.body !== undefined && input.body.length > 0 ? { body: input.body } : {}),
      ...(input.key === undefined ? {} : { key: input.key }),
    });
    const body = Buffer.from(await response.arrayBuffer());
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!NOT_RETURNED.has(name)) headers[name] = value;
    });
    return {
      status: response.status,
      headers,
      body,
      pod: response.endpoint.pod ?? response.endpoint.id,
      attempts: response.attempts,
      failed: response.status >= 500,
    };
  } catch (error) {
    const failure = gatewayFailureOf(error);
    const details = (error as { details?: { attempts?: unknown } }).details;
    const attempts = typeof details?.attempts === 'number' ? details.attempts : 1;
    return {
      status: failure.status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.from(JSON.stringify({ error: failure.message, code: failure.code })),
      pod: undefined,
      attempts,
      failed: true,
    };
  }
}
