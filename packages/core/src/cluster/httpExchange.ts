import http from 'node:http';
import https from 'node:https';
import { ClosedError } from '../errors.js';
import type { Clock } from '../types.js';
import { errorFromResponse, type RequestContext, unreachableError } from './kubeErrors.js';

/** Ends an exchange: with an error, or with `undefined` and a value. Later calls are ignored. */
export type Settle = (error: unknown, value?: unknown) => void;

export interface ExchangeInit {
  ctx: RequestContext;
  url: URL;
  /** Method, headers, agent and TLS settings (from the KubeConfig). */
  requestOptions: https.RequestOptions;
  body: string | undefined;
  signal: AbortSignal | undefined;
  timeoutMs: number;
  /** Stop the timeout once a 2xx response starts (watches), instead of at the end. */
  timeoutUntilResponse: boolean;
  clock: Clock;
  /** Requests in flight, so the client can abort them all on close. */
  inFlight: Set<http.ClientRequest>;
  onFailure: () => void;
}

/**
 * Sends one HTTP(S) request and hands a 2xx response to `onOk`, which settles it; any other status
 * becomes a mapped error (with `Retry-After`), a connection failure or timeout a
 * `KubeAPIUnavailableError`, an abort the signal's reason. Timer, listener and socket are released
 * however it ends.
 */
export function exchange(
  init: ExchangeInit,
  onOk: (res: http.IncomingMessage, settle: Settle) => void,
): Promise<unknown> {
  const { ctx, url, signal, clock, inFlight } = init;
  return new Promise((resolve, reject) => {
    let settled = false;
    const send = url.protocol === 'http:' ? http.request : https.request;
    const req = send(url, init.requestOptions, (res) => {
      const status = res.statusCode ?? 0;
      res.on('error', (error) => settle(unreachableError(error, ctx, 'the connection was cut')));
      res.once('close', () => {
        if (!res.complete) settle(unreachableError(undefined, ctx, 'the connection was cut mid-answer'));
      });
      if (status >= 200 && status < 300) {
        if (init.timeoutUntilResponse) clock.clearTimeout(timer);
        onOk(res, settle);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        settle(errorFromResponse(status, text, ctx, res.headers['retry-after']));
      });
    });
    const onAbort = (): void => {
      settle(signal?.reason instanceof Error ? signal.reason : new ClosedError('the request was aborted'));
    };
    const timer = clock.setTimeout(
      () => settle(unreachableError(undefined, ctx, `no answer within ${init.timeoutMs} ms`)),
      init.timeoutMs,
      { unref: true },
    );
    const settle: Settle = (error, value) => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      inFlight.delete(req);
      req.destroy();
      if (error === undefined) resolve(value);
      else {
        init.onFailure();
        reject(error);
      }
    };
    inFlight.add(req);
    req.on('error', (error) => settle(error instanceof ClosedError ? error : unreachableError(error, ctx)));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    req.end(init.body);
  });
}
