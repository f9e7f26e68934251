import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A small TCP balancer in front of hub replicas, as a Kubernetes Service is (for the demo and tests): each connection goes to
 * the next backend that accepts it, so when a replica is gone its agents land on another one.
 */
export async function startBalancer(
  backends: () => string[],
): Promise<{ url: string; close(): Promise<void> }> {
  let next = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => client.destroy());
    const list = backends();
    const attempt = (tries: number): void => {
      if (tries >= list.length) {
        client.destroy();
        return;
      }
      const target = new URL(list[(next++ + tries) % list.length]!);
      const upstream = connect(Number(target.port), target.hostname);
      sockets.add(upstream);
      upstream.once('connect', () => {
        client.pipe(upstream);
        upstream.pipe(client);
      });
      upstream.on('close', () => {
        sockets.delete(upstream);
        client.destroy();
      });
      upstream.once('error', () => {
        if (!upstream.remoteAddress) attempt(tries + 1);
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
