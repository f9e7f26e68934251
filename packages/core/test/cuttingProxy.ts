import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * What the proxy does with one request:
 * - `pass`: forwards it and streams the answer back;
 * - `cut`: forwards it, waits for the whole answer (the server has done the work), then destroys the
 *   client's connection without a byte, like a network that loses the response;
 * - `endAtOnce`: forwards it, sends the answer's status and headers, then ends the body at once
 *   (a watch that a broken proxy closes right after accepting it).
 */
export type ProxyAction = 'pass' | 'cut' | 'endAtOnce';

export interface CuttingProxy {
  readonly url: string;
  /** A KubeConfig that reaches the upstream server through this proxy (plain HTTP, no token). */
  readonly kubeConfig: KubeConfig;
  /** Decides per request; `pass` unless set. */
  decide: (req: IncomingMessage) => ProxyAction;
  /** Requests seen per action. */
  readonly counts: Record<ProxyAction, number>;
  close(): Promise<void>;
}

/**
 * A small loopback HTTP proxy in front of a plain-HTTP server (an emulator started with `tls: false`)
 * that cuts or ends responses on demand.
 */
export async function startCuttingProxy(upstreamUrl: string): Promise<CuttingProxy> {
  const upstream = new URL(upstreamUrl);
  const sockets = new Set<Socket>();
  const counts: Record<ProxyAction, number> = { pass: 0, cut: 0, endAtOnce: 0 };
  const proxy = {
    decide: (_req: IncomingMessage): ProxyAction => 'pass',
  };
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const action = proxy.decide(req);
    counts[action] += 1;
    const out = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: upstream.host },
      },
      (answer) => {
        if (action === 'cut') {
          answer.resume();
          answer.once('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (action === 'endAtOnce') {
          res.flushHeaders();
          res.end();
          answer.destroy();
          return;
        }
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    res.on('close', () => out.destroy());
    req.pipe(out);
  };
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
  const url = `http://127.0.0.1:${address.port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'proxy', server: url, skipTLSVerify: true }],
    users: [{ name: 'anonymous' }],
    contexts: [{ name: 'proxy', cluster: 'proxy', user: 'anonymous' }],
    currentContext: 'proxy',
  });
  return {
    url,
    kubeConfig,
    counts,
    get decide() {
      return proxy.decide;
    },
    set decide(fn) {
      proxy.decide = fn;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
