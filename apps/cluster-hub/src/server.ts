import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { FailureLimiter, KeyStore } from '@kubesmart/access';
import { PROTOCOL_DEFAULTS } from '@kubesmart/agent/protocol';
import { createKubeSmart, type KubeSmart, type loadKubeConfig } from '@kubesmart/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { AgentDirectory } from './agentDirectory.js';
import { attachAgentGateway } from './agentGateway.js';
import { AgentLeases } from './agentLeases.js';
import { AgentRegistry } from './agentRegistry.js';
import { AgentRouter } from './agentRouter.js';
import { apiKeyHook } from './apiAuth.js';
import type { HubConfig } from './config.js';
import { HandshakeLimiter } from './handshakeLimiter.js';
import { HopAuth } from './hopAuth.js';
import { hubErrorBody, toErrorReply } from './hubErrors.js';
import { registerRateLimits } from './rateLimits.js';
import { ReplicaRouter } from './replicaRouter.js';
import { clusterRoutes } from './routes/clusterRoutes.js';
import { hopRoutes } from './routes/hopRoutes.js';
import { probeRoutes } from './routes/probeRoutes.js';

type KubeConfig = ReturnType<typeof loadKubeConfig>;

export interface HubOptions {
  config: HubConfig;
  /** The cluster holding the hub's Secrets (keys, agent credentials) and Leases. */
  kubeConfig: KubeConfig;
  /** Fastify's logger option: `false` in tests. @default { level: debug ? 'debug' : 'info' } */
  logger?: boolean | { level: string };
}

export interface Hub {
  readonly app: FastifyInstance;
  readonly kubeSmart: KubeSmart;
  readonly registry: AgentRegistry;
  readonly keys: KeyStore;
  readonly credentials: KeyStore;
  /** Listens on the configured host and port; returns the URL. */
  listen(): Promise<string>;
  /** Closes agent sessions (they reconnect elsewhere), the server, the watches and Redis. */
  close(): Promise<void>;
}

/** Builds a hub replica: key stores over Secrets, the agent gateway, the API, probes and rate limits. */
export async function buildHub(options: HubOptions): Promise<Hub> {
  const { config } = options;
  const https = config.useSsl
    ? { https: { key: readFileSync(config.sslKeyFile), cert: readFileSync(config.sslCertFile) } }
    : {};
  const app = Fastify({
    logger: options.logger ?? { level: config.debug ? 'debug' : 'info' },
    forceCloseConnections: true,
    ...https,
  }) as unknown as FastifyInstance;
  const kubeSmart = createKubeSmart({
    kubeConfig: options.kubeConfig,
    namespace: config.namespace,
    logger: app.log,
  });
  const keys = new KeyStore({ kubeSmart, secretName: config.apiKeysSecret, prefix: 'ksh' });
  const credentials = new KeyStore({ kubeSmart, secretName: config.agentsSecret, prefix: 'ksa' });
  const hopAuth = new HopAuth(kubeSmart, config.internalSecret);
  let advertiseUrl = config.advertiseUrl ?? '';
  const leases = new AgentLeases({
    kubeSmart,
    namespace: config.namespace,
    replicaId: config.replicaId,
    url: () => advertiseUrl,
    durationSeconds: config.leaseDurationSeconds,
  });
  const loading = Promise.all([keys.load(), credentials.load(), hopAuth.load()]).catch((error: unknown) => {
    app.log.error({ err: error }, 'loading API keys and agent credentials failed');
  });
  const registry = new AgentRegistry();
  const directory = new AgentDirectory(registry, credentials, config.replicaId);
  const router = new ReplicaRouter(directory, leases, hopAuth);
  const failures = new FailureLimiter({ maxFailures: config.authFailuresPerMinute, windowMs: 60_000 });
  registry.on('connected', (s) => {
    app.log.info({ agent: s.agentId, cluster: s.clusterId }, 'agent connected');
    leases
      .hold(s)
      .catch((error: unknown) =>
        app.log.warn({ err: error, agent: s.agentId }, 'taking the agent Lease failed'),
      );
  });
  registry.on('disconnected', (s, code, reason) => {
    app.log.info({ agent: s.agentId, code, reason }, 'agent disconnected');
    leases
      .release(s)
      .catch((error: unknown) =>
        app.log.warn({ err: error, agent: s.agentId }, 'releasing the agent Lease failed'),
      );
  });

  app.setErrorHandler((error, request, reply) => {
    const { status, body, headers } = toErrorReply(error);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.code(status).headers(headers).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(
        hubErrorBody(
          404,
          'NO_ROUTE',
          `No route ${request.method} ${request.url.split('?')[0]}; see the README.`,
        ),
      ),
  );
  app.addHook('onRequest', apiKeyHook(keys, failures, app.log));
  const closeRateLimits = config.rateLimitEnabled
    ? await registerRateLimits(app, { perMinute: config.rateLimitPerMinute, redisUrl: config.redisUrl })
    : async () => {};
  probeRoutes(app, () => keys.ready && credentials.ready);
  clusterRoutes(app, { directory, router, timeoutMs: config.requestTimeoutMs, logger: app.log });
  hopRoutes(app, new AgentRouter(directory), hopAuth);

  const gateway = attachAgentGateway({
    server: app.server as Server,
    agents: credentials,
    registry,
    settings: {
      heartbeatMs: config.heartbeatMs,
      maxFrameBytes: config.maxFrameBytes,
      window: config.streamWindow ?? PROTOCOL_DEFAULTS.window,
    },
    handshakes: new HandshakeLimiter(config.handshakesPerSecond),
    failures,
    logger: app.log,
  });

  let closing: Promise<void> | undefined;
  return {
    app,
    kubeSmart,
    registry,
    keys,
    credentials,
    listen: async () => {
      await loading;
      const address = (await app.listen({ host: config.host, port: config.port })).replace(
        '[::1]',
        '127.0.0.1',
      );
      if (!advertiseUrl) {
        const { port, protocol } = new URL(address);
        advertiseUrl = config.podIp ? `${protocol}//${config.podIp}:${port}` : address;
      }
      return address;
    },
    close: () => {
      closing ??= (async () => {
        registry.closeAll();
        gateway.close();
        await leases.close();
        await app.close();
        await closeRateLimits();
        keys.close();
        credentials.close();
        await kubeSmart.close();
      })();
      return closing;
    },
  };
}
