import type { KeyStore } from '@kubesmart/access';
import type { FastifyInstance } from 'fastify';
import type { BucketPool } from '../bucketPool.js';
import type { ProxyMetrics } from '../metrics.js';

/** `/healthz` (the process answers), `/readyz` (every watch cache synced), `/metrics` (Prometheus). */
export function healthRoutes(
  app: FastifyInstance,
  pool: BucketPool,
  metrics: ProxyMetrics,
  apiKeys?: KeyStore,
): void {
  const hidden = { schema: { hide: true } };
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Liveness: the process answers' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['ops'], summary: 'Readiness: 200 once the watch caches are synced' } },
    async (_request, reply) => {
      const buckets = pool
        .status()
        .map(({ namespace, bucket, synced, stale }) => ({ namespace, bucket, synced, stale }));
      const keysReady = apiKeys?.ready ?? true;
      const ready = pool.ready() && keysReady;
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'syncing', buckets, apiKeys: apiKeys ? keysReady : undefined });
    },
  );
  app.get('/metrics', hidden, async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}
