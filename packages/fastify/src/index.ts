import {
  type BindingContext,
  type BindingOptions,
  bindServices,
  type ServiceMap,
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

/** What the plugin decorates `fastify.kube` and `request.kube` with: core's binding context. */
export interface KubeContext extends Omit<BindingContext, 'services'> {
  /** Every declared service by alias: `request.kube.services.backend.fetch('/orders')`. */
  readonly services: KubeSmartServices;
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

/**
 * Options of the plugin, the same as every adapter's: the core's `createKubeSmart` options or
 * `{ kubeSmart: instance }`, plus `services`, `failFast` (`register` waits, so `fastify.ready()` and
 * `listen()` reject when the cluster cannot be reached) and `routes`.
 */
export interface KubeSmartFastifyOptions<S extends ServiceMap = ServiceMap> extends BindingOptions<S> {}

const plugin: FastifyPluginAsync<KubeSmartFastifyOptions> = async (fastify, options) => {
  const binding = bindServices(options);
  const context = binding.context as KubeContext;
  fastify.decorate('kube', { getter: () => context });
  fastify.decorateRequest('kube', { getter: () => context });
  fastify.addHook('onClose', () => binding.close());
  const prefix = binding.routesPrefix;
  if (prefix !== undefined) {
    fastify.get(`${prefix}/status`, async () => ({ services: context.status() }));
    fastify.get(`${prefix}/healthz`, async (_request, reply) => {
      const { statusCode, body } = context.healthResponse();
      return reply.code(statusCode).send(body);
    });
  }
  await binding.start();
};

/** `fastify.register(kubeSmart, { services: { backend: 'my-backend' } })` */
export const kubeSmart = fp(plugin, { fastify: '5.x', name: '@kubesmart/fastify' });
export default kubeSmart;
