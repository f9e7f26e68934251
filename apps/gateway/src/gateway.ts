import {
  InvalidArgumentError,
  type KubeSmart,
  type KubeSmartOptions,
  type Logger,
  type SmartService,
} from '@kubesmart/core';
import { kubeSmart } from '@kubesmart/fastify';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Agent } from 'undici';
import type { GatewayConfig } from './config/gatewayConfig.js';
import { MeshEventLog } from './meshEvents.js';
import { meshOptionsOf } from './meshOptions.js';
import { type MeshStatus, type ScenarioNote, serviceView } from './meshStatus.js';
import { MetricsRecorder } from './metrics/metricsRecorder.js';
import { registerDashboard } from './routes/dashboardRoutes.js';
import type { GatewayContext } from './routes/gatewayContext.js';
import { registerMeshRoutes } from './routes/meshRoutes.js';
import { registerProxyRoutes } from './routes/proxyRoutes.js';

export interface GatewayOptions {
  config: GatewayConfig;
  /**
   * The kubesmart instance to discover Services with; the gateway does not close it. Give this or
   * `kubeConfig`.
   */
  kubeSmart?: KubeSmart;
  /** A client-node `KubeConfig` (see `loadKubeConfig()`); the gateway makes and closes its own kubesmart instance. */
  kubeConfig?: KubeSmartOptions['kubeConfig'];
  /** Fastify's logger option: `false` (default) for none, `true` or pino options, or a pino-compatible logger. */
  logger?: boolean | Record<string, unknown> | FastifyBaseLogger;
  /** Override the configured address, e.g. `{ port: 0 }` in tests. */
  listen?: { host?: string; port?: number };
}

/** A running gateway. */
export interface Gateway {
  readonly app: FastifyInstance;
  readonly config: GatewayConfig;
  readonly metrics: MetricsRecorder;
  readonly events: MeshEventLog;
  /** `http://host:port` once listening. */
  readonly url: string;
  /** The mesh service behind a route (by its `services:` key). */
  service(route: string): SmartService;
  /** Resolves when every route's Service has a first endpoint list. */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  /** What `GET /mesh/status` returns. */
  status(): MeshStatus;
  /** Resets a route: closes its breakers, lifts its ejections and zeroes its counters. */
  reset(route: string): Promise<void>;
  /** Shows what a driver of the gateway is doing (steps, faults) in `/mesh/status` and the dashboard. */
  annotate(note: ScenarioNote | undefined): void;
  close(): Promise<void>;
}

/** Builds the gateway (Fastify app, one mesh service per route) and starts listening. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const { config } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: config.bodyLimitBytes,
    return503OnClosing: true,
    forceCloseConnections: true,
  });
  if (options.kubeSmart === undefined && options.kubeConfig === undefined) {
    throw new InvalidArgumentError(
      'createGateway() needs `kubeSmart` or `kubeConfig` to discover Services: pass one of them.',
    );
  }
  // @kubesmart/fastify owns the kubesmart instance it creates (closed with the app) and declares one
  // service per route.
  const declared = Object.fromEntries(
    config.routes.map((route) => [route.name, { name: route.service, ...meshOptionsOf(route) }]),
  );
  await app.register(
    kubeSmart,
    options.kubeSmart !== undefined
      ? { kubeSmart: options.kubeSmart, services: declared }
      : {
          kubeConfig: options.kubeConfig!,
          namespace: config.namespace,
          logger: app.log as unknown as Logger,
          services: declared,
        },
  );
  const metrics = new MetricsRecorder();
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 4000, connect: { timeout: 2000 } });
  const events = new MeshEventLog();
  const started = Date.now();
  const routes = new Map(config.routes.map((r) => [r.name, r]));
  const services = new Map(config.routes.map((route) => [route.name, app.kube.services[route.name]!]));
  const unfollow = [...services].map(([name, svc]) => events.follow(name, svc));

  const service = (name: string): SmartService => {
    const svc = services.get(name);
    if (svc === undefined)
      throw new InvalidArgumentError(`no route named "${name}"; routes: ${[...routes.keys()].join(', ')}`);
    return svc;
  };

  /** What the demo (or another driver) says it is doing: see `annotate()`. */
  let scenario: ScenarioNote | undefined;
  const status = (): MeshStatus => {
    const now = performance.timeOrigin + performance.now();
    const views: MeshStatus['services'] = Object.fromEntries(
      config.routes.map((route) => [
        route.name,
        serviceView(
          route,
          service(route.name),
          metrics.snapshot(route.name),
          events.counters(route.name),
          now,
        ),
      ]),
    );
    return {
      time: new Date().toISOString(),
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      services: views,
      events: events.recent(50),
      ...(scenario ? { scenario } : {}),
    };
  };

  /** Closes the route's breakers, lifts its ejections and starts its counters over. */
  const reset = async (name: string): Promise<void> => {
    service(name).reset();
    metrics.reset(name);
    events.resetCounters(name);
  };

  const ctx: GatewayContext = {
    config,
    metrics,
    events,
    dispatcher,
    route: (name) => routes.get(name),
    service,
    status,
    reset,
  };
  registerProxyRoutes(app, ctx);
  registerMeshRoutes(app, ctx);
  await registerDashboard(app);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await app.close();
      await dispatcher.destroy();
      for (const stop of unfollow) stop();
      // app.close() closed the kubesmart instance if the plugin made it; one given by the caller is
      // the caller's to close, with its services.
    })();
    return closing;
  };

  let url: string;
  try {
    url = await app.listen({
      host: options.listen?.host ?? config.host,
      port: options.listen?.port ?? config.port,
    });
  } catch (error) {
    await close();
    throw error;
  }
  return {
    app,
    config,
    metrics,
    events,
    url,
    service,
    async ready(o = {}) {
      await Promise.all(
        [...services.values()].map((svc) =>
          svc.ready(o.timeoutMs === undefined ? {} : { timeoutMs: o.timeoutMs }),
        ),
      );
    },
    status,
    reset,
    annotate(note) {
      scenario = note;
    },
    close,
  };
}
