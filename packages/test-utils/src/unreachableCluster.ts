import { createServer } from 'node:net';
import { kubeConfigFrom, type MockCluster } from '@kubesmart/mock';

/** A loopback port that nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A kubeconfig for an API server that cannot be reached (connections are refused): a cluster not up yet. */
export async function unreachableKubeConfig(namespace = 'default'): Promise<MockCluster['kubeConfig']> {
  return kubeConfigFrom({
    server: `https://127.0.0.1:${await closedPort()}`,
    token: 'unused',
    insecureSkipTlsVerify: true,
    namespace,
  });
}
