import { timingSafeEqual } from 'node:crypto';
import type { KeyStore } from '@kubesmart/access';
import type { FastifyInstance } from 'fastify';
import type { BucketPool } from '../bucketPool.js';
import { HttpError } from '../httpErrors.js';
import type { ProxyMetrics } from '../metrics.js';

export interface HealthRouteOptions {
  apiKeys?: KeyStore | undefined;
  /** When set, `/metrics` takes this bearer token (and only it) instead of a caller's credentials. */
  metricsToken?: string | undefined;
  /** `/metrics` is served on a port of its own (`METRICS_PORT`), not here. */
  metricsOnOwnPort?: boolean;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * `/healthz` (the process answers), `/readyz` (every watch cache synced), both open for the kubelet's
 * probes; `/metrics` (Prometheus) needs a caller's credentials, or the `METRICS_TOKEN` when one is set.
 */
export function healthRoutes(
  app: FastifyInstance,
  pool: BucketPool,
  metrics: ProxyMetrics,
  options: HealthRouteOptions = {},
): void {
  const { apiKeys } = options;
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Liveness: the process answers' } }, async () => ({
    status: 'ok',
  }));
  app.get(
    '/readyz',
    { schema: { tags: ['ops'], summary: 'Readiness: 200 once the watch caches are synced' } },
    async (_request, reply) => {
      // Open to anyone who reaches the port: counts only, no bucket names (those are on /metrics).
      const all = pool.status();
      const buckets = {
        open: all.length,
        synced: all.filter((s) => s.synced).length,
        stale: all.filter((s) => s.stale).length,
      };
      const keysReady = apiKeys?.ready ?? true;
      const ready = pool.ready() && keysReady;
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'syncing', buckets, apiKeys: apiKeys ? keysReady : undefined });
    },
  );
  if (!options.metricsOnOwnPort) metricsRoute(app, metrics, options.metricsToken);
}

/** `GET /metrics`: behind a caller's credentials, or only the metrics token when one is given. */
export function metricsRoute(app: FastifyInstance, metrics: ProxyMetrics, metricsToken?: string): void {
  const scrape = {
    schema: { hide: true },
    ...(metricsToken ? {} : { config: { access: 'authenticated' as const } }),
  };
  app.get('/metrics', scrape, async (request, reply) => {
    if (metricsToken) {
      const given = /^bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      if (!sameSecret(given, metricsToken))
        throw new HttpError(
          401,
          'UNAUTHENTICATED',
          'Send the metrics token: "Authorization: Bearer <METRICS_TOKEN>".',
          {
            'WWW-Authenticate': 'Bearer realm="kv-proxy-metrics"',
          },
        );
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
