import { kubeSmart } from '@kubesmart/fastify';
import { clusterFromEnvOrEmulator, sampleBackend } from '@kubesmart/mock';
import Fastify from 'fastify';

/** Starts the app on `port` (0: any free one) and returns its URL and how to stop it. */
export async function startApp(
  options: { port?: number; embedded?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const cluster = await clusterFromEnvOrEmulator({
    embedded: options.embedded ?? false,
    objects: sampleBackend('my-backend'),
  });
  const app = Fastify();
  app.addHook('onClose', () => cluster.close());
  await app.register(kubeSmart, {
    kubeConfig: cluster.kubeConfig,
    services: { backend: 'my-backend' },
    failFast: { timeoutMs: 10_000 },
  });

  // kubeSmartService's /health view: the endpoint in use and the service's metrics.
  app.get('/health', async (request) => {
    const backend = request.kube.services.backend!;
    const endpoint = backend.pick().url;
    const { latencyMs, pods, failoverCount, activePod } = backend.status();
    return { endpoint, metrics: { latencyMs, pods, failoverCount, activePod } };
  });

  const url = await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}
