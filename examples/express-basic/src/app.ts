import type { AddressInfo } from 'node:net';
import { kubeSmart } from '@kubesmart/express';
import { clusterFromEnvOrEmulator, sampleBackend } from '@kubesmart/mock';
import express from 'express';

/** Starts the app on `port` (0: any free one) and returns its URL and how to stop it. */
export async function startApp(
  options: { port?: number; embedded?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const cluster = await clusterFromEnvOrEmulator({
    embedded: options.embedded ?? false,
    objects: sampleBackend('my-backend'),
  });
  const kube = kubeSmart({ kubeConfig: cluster.kubeConfig, services: { backend: 'my-backend' } });
  await kube.ready({ timeoutMs: 10_000 });

  const app = express();
  app.use(kube);
  // kubeSmartService's /health view: the endpoint in use and the service's metrics.
  app.get('/health', (req, res) => {
    const backend = req.kube.services.backend!;
    const endpoint = backend.pick().url;
    const { latencyMs, pods, failoverCount, activePod } = backend.status();
    res.json({ endpoint, metrics: { latencyMs, pods, failoverCount, activePod } });
  });

  const server = app.listen(options.port ?? 0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await kube.close();
      await cluster.close();
    },
  };
}
