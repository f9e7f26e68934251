import { connect, createServer, type Server, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * A TCP relay in front of an API server that tests can black-hole: while black-holed it accepts
 * connections and never answers (a hung API server or a load balancer with no live backend), and
 * connections already open go silent. `restore()` is the API server coming back: the held
 * connections are reset (as a restarted server does) and new ones reach the server again.
 */
export interface ApiProxy {
  /** `https://127.0.0.1:PORT`, to use as a kubeconfig's server. */
  readonly url: string;
  /** A copy of `kubeConfig` whose cluster is reached through this relay. */
  kubeConfigFor(kubeConfig: KubeConfig): KubeConfig;
  /** Connections accepted so far. */
  readonly connections: number;
  blackHole(): void;
  restore(): void;
  close(): Promise<void>;
}

interface Pair {
  readonly client: Socket;
  upstream: Socket | undefined;
}

export async function startApiProxy(
  target: string,
  options: { blackHoled?: boolean } = {},
): Promise<ApiProxy> {
  const { hostname, port: targetPort, protocol } = new URL(target);
  const upstreamPort = Number(targetPort || (protocol === 'https:' ? 443 : 80));
  const pairs = new Set<Pair>();
  let blackHoled = options.blackHoled ?? false;
  let connections = 0;

  const relay = (pair: Pair): void => {
    const upstream = connect({ host: hostname, port: upstreamPort });
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    pair.client.on('error', () => upstream.destroy());
    upstream.on('close', () => pair.client.destroy());
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  };
  const server: Server = createServer((client) => {
    connections++;
    const pair: Pair = { client, upstream: undefined };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pairs.delete(pair);
      pair.upstream?.destroy();
    });
    if (blackHoled) client.pause();
    else relay(pair);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the relay has no port');
  const url = `${protocol}//127.0.0.1:${address.port}`;

  return {
    url,
    get connections() {
      return connections;
    },
    kubeConfigFor(kubeConfig) {
      const copy = new KubeConfig();
      copy.loadFromOptions({
        clusters: kubeConfig.clusters.map((cluster) => ({ ...cluster, server: url })),
        users: kubeConfig.users,
        contexts: kubeConfig.contexts,
        currentContext: kubeConfig.currentContext,
      });
      return copy;
    },
    blackHole() {
      blackHoled = true;
      for (const pair of pairs) {
        pair.client.unpipe();
        pair.upstream?.unpipe();
        pair.client.pause();
        pair.upstream?.pause();
      }
    },
    restore() {
      blackHoled = false;
      for (const pair of [...pairs]) {
        pair.client.resetAndDestroy();
        pair.upstream?.destroy();
      }
      pairs.clear();
    },
    close: () =>
      new Promise((resolve) => {
        for (const pair of pairs) {
          pair.client.destroy();
          pair.upstream?.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
