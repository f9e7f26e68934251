import { request } from 'node:http';
import { connect } from 'node:net';
import type { Endpoint } from '../types.js';

/** Outcome of one probe. `reason` says why it failed, for logs and `status()`. */
export interface ProbeResult {
  readonly ok: boolean;
  readonly reason?: string;
}

/**
 * Checks one endpoint once. It must settle soon after `signal` aborts (the checker aborts it at
 * its timeout) and should not keep the process alive on its own.
 */
export type HealthProbe = (endpoint: Endpoint, signal: AbortSignal) => Promise<ProbeResult>;

const OK: ProbeResult = Object.freeze({ ok: true });
const ABORTED: ProbeResult = Object.freeze({ ok: false, reason: 'aborted' });

export interface TcpProbeOptions {
  /** Port to connect to instead of the endpoint's own. */
  port?: number;
}

/** A probe that passes when a TCP connection to the endpoint is accepted. */
export function createTcpProbe(options?: TcpProbeOptions): HealthProbe {
  const portOverride = options?.port;
  return (endpoint, signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal.aborted) return resolve(ABORTED);
      const socket = connect({ host: endpoint.host, port: portOverride ?? endpoint.port });
      socket.unref();
      const finish = (result: ProbeResult): void => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve(result);
      };
      const onAbort = (): void => finish(ABORTED);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => finish(OK));
      socket.once('error', (error: NodeJS.ErrnoException) =>
        finish({ ok: false, reason: error.code ?? error.message }),
      );
    });
}

export interface HttpProbeOptions {
  /**
   * Request path.
   * @default '/healthz'
   */
  path?: string;
  /**
   * Status that passes: one code, or an inclusive `[from, to]` range.
   * @default [200, 399] (as the kubelet's httpGet probe)
   */
  expectedStatus?: number | readonly [from: number, to: number];
  /** Port to probe instead of the endpoint's own. */
  port?: number;
  /** Extra request headers, for instance `host`. */
  headers?: Readonly<Record<string, string>>;
}

/** A probe that passes when `GET path` answers with an expected status. The body is discarded. */
export function createHttpProbe(options?: HttpProbeOptions): HealthProbe {
  const path = options?.path ?? '/healthz';
  const expected = options?.expectedStatus ?? ([200, 399] as const);
  const [from, to] = typeof expected === 'number' ? [expected, expected] : expected;
  const headers = { 'user-agent': 'kubesmart-health-check', connection: 'close', ...options?.headers };
  return (endpoint, signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal.aborted) return resolve(ABORTED);
      let settled = false;
      const finish = (result: ProbeResult): void => {
        if (settled) return;
        settled = true;
        signal.removeEventListener('abort', onAbort);
        req.destroy();
        resolve(result);
      };
      const onAbort = (): void => finish(ABORTED);
      const req = request({
        host: endpoint.host,
        port: options?.port ?? endpoint.port,
        path,
        method: 'GET',
        headers,
        agent: false,
      });
      req.once('socket', (socket) => socket.unref());
      req.once('response', (res) => {
        const status = res.statusCode ?? 0;
        res.resume();
        finish(status >= from && status <= to ? OK : { ok: false, reason: `HTTP ${status}` });
      });
      req.once('error', (error: NodeJS.ErrnoException) =>
        finish({ ok: false, reason: error.code ?? error.message }),
      );
      signal.addEventListener('abort', onAbort, { once: true });
      req.end();
    });
}
