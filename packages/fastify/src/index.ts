import {
  type BindingHealth,
  type BindingOptions,
  bindServices,
  type KubeSmart,
  type ServiceMap,
  type ServiceStatus,
  type SmartService,
} from '@kubesmart/core';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export type { BindingHealth, ServiceHealth, ServiceMap, ServiceSpec } from '@kubesmart/core';

/**
 * The declared services by alias, as `fastify.kube.services` and `request.kube.services` type them.
 * Augment it to type your aliases:
 * `declare module '@kubesmart/fastify' { interface KubeSmartServices { backend: SmartService } }`.
 */
export interface KubeSmartServices {
  [alias: string]: SmartService;
}

/** What the plugin decorates `fastify.kube` and `request.kube` with. */
export interface KubeContext {
  /** The core instance. */
  readonly kubeSmart: KubeSmart;
  /** Every declared service by alias: `request.kube.services.backend.fetch('/orders')`. */
  readonly services: KubeSmartServices;
  /** A key/value bucket: `await request.kube.kv('feature-flags').get('checkout')`. */
  readonly kv: KubeSmart['kv'];
  /** Resolves when every declared service has its first endpoints; rejects with the first error. */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  /** Health of the declared services: up when each has an endpoint that can take requests. */
  health(): BindingHealth;
  /** `status()` of every declared service, by alias. */
  status(): Record<string, ServiceStatus>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Set by `@kubesmart/fastify`. */
    readonly kube: KubeContext;
  }
  interface FastifyRequest {
    /** Set by `@kubesmart/fastify`. */
    readonly kube: KubeContext;
  }
}

/** Options of the plugin: the core's `createKubeSmart` options or `{ kubeSmart: instance }`, plus `services`. */
export interface KubeSmartFastifyOptions<S extends ServiceMap = ServiceMap> extends BindingOptions<S> {
  /**
   * Wait in `register` until every declared service has its first endpoints, so `fastify.ready()`
   * and `listen()` reject when the cluster cannot be reached. Otherwise the app boots and health
   * reports down until discovery answers.
   * @default false
   */
  failFast?: boolean | { timeoutMs: number };
  /**
   * Add `GET <prefix>/status` and `GET <prefix>/healthz` (200 up, 503 down with details).
   * `true` uses the prefix `/kubesmart`.
   * @default false
   */
  routes?: boolean | { prefix?: string };
}

const plugin: FastifyPluginAsync<KubeSmartFastifyOptions> = async (fastify, options) => {
  const { failFast, routes, ...bindingOptions } = options;
  const binding = bindServices(bindingOptions);
  const ks = binding.kubeSmart;
  const context: KubeContext = Object.freeze({
    kubeSmart: ks,
    services: binding.services as KubeSmartServices,
    kv: ks.kv.bind(ks),
    ready: binding.ready,
    health: binding.health,
    status: binding.status,
  });
  fastify.decorate('kube', { getter: () => context });
  fastify.decorateRequest('kube', { getter: () => context });
  fastify.addHook('onClose', () => binding.close());

  if (routes) {
    const prefix = (typeof routes === 'object' ? routes.prefix : undefined) ?? '/kubesmart';
    fastify.get(`${prefix}/status`, async () => ({ services: binding.status() }));
    fastify.get(`${prefix}/healthz`, async (_request, reply) => {
      const health = binding.health();
      return reply.code(health.status === 'up' ? 200 : 503).send(health);
    });
  }
  if (failFast) {
    try {
      await binding.ready(typeof failFast === 'object' ? failFast : undefined);
    } catch (error) {
      await binding.close();
      throw error;
    }
  }
};

/** `fastify.register(kubeSmart, { services: { backend: 'my-backend' } })` */
export const kubeSmart = fp(plugin, { fastify: '5.x', name: '@kubesmart/fastify' });
export default kubeSmart;
