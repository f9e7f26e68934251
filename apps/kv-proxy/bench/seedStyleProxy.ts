import type { loadKubeConfig } from '@kubesmart/core';
import { KubeClient } from '@kubesmart/core/building-blocks';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The k8skv seed's read path, for comparison: every GET asks the API server for the ConfigMap
 * (over the same pooled client the engine uses, so only the design differs).
 */
export async function startSeedStyleProxy(
  kubeConfig: ReturnType<typeof loadKubeConfig>,
): Promise<{ url: string; close(): Promise<void> }> {
  const client = new KubeClient({ kubeConfig });
  const app: FastifyInstance = Fastify({ logger: false });
  app.get<{ Params: { namespace: string; configmap: string } }>(
    '/kv/:namespace/:configmap',
    async (request) => {
      const { namespace, configmap } = request.params;
      const cm = await client.request<{ data?: Record<string, string> }>(
        'GET',
        `/api/v1/namespaces/${namespace}/configmaps/${configmap}`,
      );
      return cm.data ?? {};
    },
  );
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    close: async () => {
      await app.close();
      client.close();
    },
  };
}
