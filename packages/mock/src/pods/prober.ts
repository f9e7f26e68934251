import { request } from 'node:http';
import { connect } from 'node:net';

/**
 * An HTTP GET probe as kubelet runs it: success is a status in 200-399 before the timeout.
 * The connection is closed as soon as the status line arrives.
 */
export function probeHttp(ip: string, port: number, path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const req = request({
      host: ip,
      port,
      path,
      method: 'GET',
      agent: false,
      headers: { 'User-Agent': 'kube-probe/1.32' },
    });
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      finish(status >= 200 && status < 400);
    });
    req.on('error', () => finish(false));
    req.end();
  });
}

/** A TCP probe: success is an accepted connection before the timeout. */
export function probeTcp(ip: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false;
    const socket = connect({ host: ip, port });
    const finish = (ok: boolean): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}
