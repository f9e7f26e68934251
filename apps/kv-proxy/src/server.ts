import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { FailureLimiter, KeyStore, TokenReviewer } from '@kubesmart/access';
import { createKubeSmart, ErrorCode, type KubeSmart, type loadKubeConfig } from '@kubesmart/core';

import Fastify, { type FastifyInstance } from 'fastify';
import { AllowList } from './allowList.js';
import { authenticate } from './auth/authenticate.js';
import { BucketPool } from './bucketPool.js';
import type { ProxyConfig } from './config.js';
import { registerDocs } from './docs.js';
import { toHttpError } from './httpErrors.js';
import { ProxyMetrics } from './metrics.js';
import { registerRateLimits } from './rateLimits.js';
import { healthRoutes, metricsRoute } from './routes/healthRoutes.js';
import { keyRoutes } from './routes/keyRoutes.js';
import { seedRoutes } from './routes/seedRoutes.js';
import { watchRoute } from './routes/watchRoute.js';
import { registerSecurityHeaders } from './securityHeaders.js';
import { SseLimits } from './sseLimits.js';

type KubeConfig = ReturnType<typeof loadKubeConfig>;

export interface ProxyOptions {
  config: ProxyConfig;
  /** The cluster to serve from. */
  kubeConfig: KubeConfig;
  /** Fastify's logger option: `false` in tests, pino settings in production. @default { level: config.logLevel } */
  logger?: boolean | { level: string };
}

export interface KvProxy {
  readonly app: FastifyInstance;
  /** With `METRICS_PORT`: the server of `/metrics` alone (no credentials), for the caller to listen on. */
  readonly metricsApp: FastifyInstance | undefined;
  readonly kubeSmart: KubeSmart;
  readonly pool: BucketPool;
  /** Stops the server, every watch and socket. */
  close(): Promise<void>;
}

export const NO_AUTH_WARNING =
  '!!! AUTH_MODE=none: every caller may read and write every allowed bucket. For local development only; never deploy this. !!!';

/** Builds the proxy: one engine context (watch caches shared by every bucket), auth, routes, docs. */
export async function buildProxy(options: ProxyOptions): Promise<KvProxy> {
  const { config } = options;
  const https =
    config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {};
  const app = Fastify({
    logger: options.logger ?? { level: config.logLevel },
    bodyLimit: config.bodyLimitBytes,
    forceCloseConnections: true,
    genReqId: () => randomUUID(),
    ...https,
  }) as unknown as FastifyInstance;
  const kubeSmart = createKubeSmart({
    kubeConfig: options.kubeConfig,
    namespace: config.namespace,
    logger: app.log,
    watch: { staleAfterMs: config.staleAfterMs },
  });
  const { context } = kubeSmart;
  const allow = new AllowList(config.namespaces, config.buckets);
  const pool = new BucketPool(context, allow, {
    cacheScope: config.cacheScope,
    maxOpen: config.maxOpenBuckets,
  });
  const limits = new SseLimits({
    maxStreams: config.sseMaxStreams,
    maxPerCaller: config.sseMaxStreamsPerCaller,
    maxPerKey: config.sseMaxStreamsPerKey,
  });
  const metrics = new ProxyMetrics(pool, limits, config.metricsMaxBuckets);
  const apiKeys =
    config.authMode === 'apikey'
      ? new KeyStore({ kubeSmart, secretName: config.apiKeysSecret, namespace: config.namespace })
      : undefined;
  apiKeys?.load().catch((error: unknown) => app.log.error({ err: error }, 'loading the API keys failed'));
  const reviewer =
    config.authMode === 'tokenreview' ? new TokenReviewer({ client: context.client }) : undefined;
  if (config.authMode === 'none') app.log.warn(NO_AUTH_WARNING);

  app.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toHttpError(error);
    if (status >= 500 || (error as { code?: string }).code === ErrorCode.FORBIDDEN)
      request.log.error({ err: error, requestId: request.id }, 'request failed');
    return reply
      .code(status)
      .headers(headers)
      .send({ ...body, requestId: request.id });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: 'Not Found',
      code: 'NO_ROUTE',
      message: `No route ${request.method} ${request.url}; see /docs.`,
      requestId: request.id,
    }),
  );
  registerSecurityHeaders(app);
  if (!config.docsPublic) {
    // The documentation routes (added by the docs plugin) need a caller, as the API does.
    app.addHook('onRoute', (route) => {
      if (route.url.startsWith('/docs')) route.config = { ...route.config, access: 'authenticated' };
    });
  }
  await registerDocs(app);
  metrics.install(app);
  app.addHook(
    'onRequest',
    authenticate({
      mode: config.authMode,
      apiKeys,
      reviewer,
      failures: new FailureLimiter({ maxFailures: 20, windowMs: 60_000 }),
      onRefused: (reason) => metrics.refused(reason),
    }),
  );
  const closeRateLimits = await registerRateLimits(app, {
    perSecond: config.rateLimitPerSecond,
    burst: config.rateLimitBurst,
    redisUrl: config.redisUrl,
  });
  await app.register(async (scope) => seedRoutes(scope, pool, allow, context.client));
  await app.register(async (scope) => keyRoutes(scope, pool));
  watchRoute(app, pool, metrics, limits);
  healthRoutes(app, pool, metrics, {
    apiKeys,
    metricsToken: config.metricsToken,
    metricsOnOwnPort: config.metricsPort !== undefined,
  });
  const metricsApp = config.metricsPort === undefined ? undefined : await metricsServer(metrics, app.log);
  pool.warm();

  let closing: Promise<void> | undefined;
  return {
    app,
    metricsApp,
    kubeSmart,
    pool,
    close: () => {
      closing ??= (async () => {
        await metricsApp?.close();
        await app.close();
        await closeRateLimits();
        pool.close();
        apiKeys?.close();
        await kubeSmart.close();
      })();
      return closing;
    },
  };
}

/** `/metrics` alone, without credentials: for `METRICS_PORT`, a port only the cluster's scraper reaches. */
async function metricsServer(
  metrics: ProxyMetrics,
  logger: FastifyInstance['log'],
): Promise<FastifyInstance> {
  const server = Fastify({
    loggerInstance: logger,
    forceCloseConnections: true,
    genReqId: () => randomUUID(),
  });
  registerSecurityHeaders(server);
  // This server has no authentication hook: the route's `access` marks nothing here.
  metricsRoute(server as unknown as FastifyInstance, metrics);
  await server.ready();
  return server as unknown as FastifyInstance;
}
