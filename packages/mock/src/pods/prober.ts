import { request } from 'node:http';
import { connect } from 'node:net';

/** How one probe went; `failure` is worded as kubelet words it in its `Unhealthy` Events. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly failure?: string;
}

const PASSED: ProbeOutcome = Object.freeze({ ok: true });
const failed = (failure: string): ProbeOutcome => ({ ok: false, failure });

function dialFailure(ip: string, port: number, error: NodeJS.ErrnoException): string {
  if (error.code === 'ECONNREFUSED') return `dial tcp ${ip}:${port}: connect: connection refused`;
  if (error.code === 'ECONNRESET') return `read tcp ${ip}:${port}: read: connection reset by peer`;
  return `dial tcp ${ip}:${port}: ${error.message}`;
}

/**
 * An HTTP GET probe as kubelet runs it: success is a status in 200-399 before the timeout.
 * The connection is closed as soon as the status line arrives.
 */
export function probeHttp(ip: string, port: number, path: string, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const url = `http://${ip}:${port}${path}`;
    const req = request({
      host: ip,
      port,
      path,
      method: 'GET',
      agent: false,
      headers: { 'User-Agent': 'kube-probe/1.32' },
    });
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish(
          failed(`Get "${url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)`),
        ),
      timeoutMs,
    );
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      finish(status >= 200 && status < 400 ? PASSED : failed(`HTTP probe failed with statuscode: ${status}`));
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish(failed(`Get "${url}": ${dialFailure(ip, port, error)}`)),
    );
    req.end();
  });
}

/** A TCP probe: success is an accepted connection before the timeout. */
export function probeTcp(ip: string, port: number, timeoutMs: number): Promise<ProbeOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: ip, port });
    const finish = (outcome: ProbeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => finish(failed(`dial tcp ${ip}:${port}: i/o timeout`)), timeoutMs);
    socket.once('connect', () => finish(PASSED));
    socket.once('error', (error: NodeJS.ErrnoException) => finish(failed(dialFailure(ip, port, error))));
  });
}
