import type { BindingOptions, KubeSmart, SmartService } from '@kubesmart/core';
import express, { type Request, type RequestHandler, type Router } from 'express';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type KubeContext,
  type KubeSmartExpressOptions,
  type KubeSmartMiddleware,
  kubeSmart,
  kubeSmartRouter,
} from '../src/index.js';

declare module '../src/index.js' {
  interface KubeSmartServices {
    backend: SmartService;
  }
}

describe('Express Request augmentation', () => {
  it('types req.kube on every Request', () => {
    expectTypeOf<Request['kube']>().toEqualTypeOf<KubeContext>();
    expectTypeOf<Request['kube']['kubeSmart']>().toEqualTypeOf<KubeSmart>();
    expectTypeOf<Request['kube']['kv']>().toEqualTypeOf<KubeSmart['kv']>();
  });

  it('types an alias declared in KubeSmartServices as a SmartService, others as possibly missing', () => {
    const req = {} as Request;
    expectTypeOf(req.kube.services.backend).toEqualTypeOf<SmartService>();
    expectTypeOf(req.kube.services.other).toEqualTypeOf<SmartService | undefined>();
  });

  it('lets handlers use req.kube without casts', () => {
    express().get('/', async (req, res) => {
      expectTypeOf(req.kube.services.backend.fetch).returns.resolves.toHaveProperty('status');
      res.json(req.kube.health());
    });
  });
});

describe('kubeSmart()', () => {
  it('returns a middleware typed with the declared aliases', () => {
    const kube = kubeSmart({ offline: true, services: { a: 'svc-a', b: { name: 'svc-b', port: 'http' } } });
    expectTypeOf(kube).toExtend<RequestHandler>();
    expectTypeOf(kube).toEqualTypeOf<KubeSmartMiddleware<'a' | 'b'>>();
    expectTypeOf(kube.services).toEqualTypeOf<Readonly<Record<'a' | 'b', SmartService>>>();
    expectTypeOf(kube.close).returns.toEqualTypeOf<Promise<void>>();
    express().use(kube, kubeSmartRouter());
    expectTypeOf(kubeSmartRouter()).toEqualTypeOf<Router>();
  });

  it('rejects unknown options and malformed services', () => {
    // @ts-expect-error `service` is not an option
    kubeSmart({ service: { a: 'x' } });
    // @ts-expect-error a service object needs a name
    kubeSmart({ services: { a: { port: 80 } } });
    // @ts-expect-error balancer names are checked
    kubeSmart({ services: { a: { name: 'x', balancer: 'fastest' } } });
  });
});

describe('one options shape for every adapter', () => {
  it("takes core's BindingOptions, failFast and routes included", () => {
    expectTypeOf<KubeSmartExpressOptions>().toEqualTypeOf<BindingOptions>();
    expectTypeOf<KubeSmartMiddleware['start']>().toEqualTypeOf<() => Promise<void>>();
  });
});
