import type { BindingOptions, HealthResponse, KubeSmart, SmartService } from '@kubesmart/core';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { describe, expectTypeOf, it } from 'vitest';
import { type KubeContext, type KubeSmartFastifyOptions, kubeSmart } from '../src/index.js';

declare module '../src/index.js' {
  interface KubeSmartServices {
    backend: SmartService;
  }
}

describe("declare module 'fastify'", () => {
  it('types fastify.kube and request.kube', () => {
    expectTypeOf<FastifyInstance['kube']>().toEqualTypeOf<KubeContext>();
    expectTypeOf<FastifyRequest['kube']>().toEqualTypeOf<KubeContext>();
    expectTypeOf<KubeContext['kubeSmart']>().toEqualTypeOf<KubeSmart>();
    expectTypeOf<KubeContext['kv']>().toEqualTypeOf<KubeSmart['kv']>();
  });

  it('types aliases declared in KubeSmartServices', () => {
    const app = Fastify();
    expectTypeOf(app.kube.services.backend).toEqualTypeOf<SmartService>();
    expectTypeOf(app.kube.services.other).toEqualTypeOf<SmartService | undefined>();
    app.get('/', async (request) => {
      expectTypeOf(request.kube.services.backend.fetch).returns.resolves.toHaveProperty('status');
      return request.kube.health();
    });
  });
});

describe('fastify.register(kubeSmart, options)', () => {
  it('checks the options', () => {
    const app = Fastify();
    app.register(kubeSmart, { offline: true, services: { a: 'svc-a', b: { name: 'svc-b', port: 'http' } } });
    app.register(kubeSmart, {
      services: { a: 'svc-a' },
      failFast: { timeoutMs: 1000 },
      routes: { prefix: '/m' },
    });
    expectTypeOf<KubeSmartFastifyOptions['routes']>().toEqualTypeOf<
      boolean | { prefix?: string } | undefined
    >();
    // @ts-expect-error a service object needs a name
    app.register(kubeSmart, { services: { a: { port: 80 } } });
    // @ts-expect-error failFast takes a boolean or { timeoutMs }
    app.register(kubeSmart, { failFast: 'yes' });
  });
});

describe('one options shape for every adapter', () => {
  it("takes core's BindingOptions, failFast and routes included", () => {
    expectTypeOf<KubeSmartFastifyOptions>().toEqualTypeOf<BindingOptions>();
    expectTypeOf<KubeContext['healthResponse']>().toEqualTypeOf<() => HealthResponse>();
  });
});
