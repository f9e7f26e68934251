import 'reflect-metadata';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKubeSmart,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  KubeSmart,
  type SmartService,
} from '@kubesmart/core';
import { RoundRobinBalancer } from '@kubesmart/core/building-blocks';
import { handleBaseline, handlesAbove, unreachableKubeConfig, waitFor } from '@kubesmart/test-utils';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getServiceToken, InjectService, KubeSmartHealthIndicator, KubeSmartModule } from '../src/index.js';

let backend: Server;
let fallback: { host: string; port: number };

beforeAll(async () => {
  backend = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ from: 'fallback' }));
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  fallback = { host: '127.0.0.1', port: (backend.address() as AddressInfo).port };
});

afterAll(async () => {
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

const BACKEND_NAME = Symbol('BACKEND_NAME');

@Module({ providers: [{ provide: BACKEND_NAME, useValue: 'from-config' }], exports: [BACKEND_NAME] })
class ConfigModule {}

@Injectable()
class Orders {
  constructor(
    readonly kubeSmart: KubeSmart,
    @InjectService('backend') readonly backend: SmartService,
    @InjectService('inventory', { namespace: 'stock', fallback: { host: '127.0.0.1', port: 1 } })
    readonly inventory: SmartService,
    readonly health: KubeSmartHealthIndicator,
  ) {}
}

/** A feature module that does not import KubeSmartModule: it relies on `isGlobal`. */
@Module({ providers: [Orders], exports: [Orders] })
class OrdersModule {}

describe('KubeSmartModule', () => {
  it('forRootAsync builds the options from injected providers; isGlobal serves feature modules', async () => {
    const app = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [
          KubeSmartModule.forRootAsync({
            isGlobal: true,
            imports: [ConfigModule],
            inject: [BACKEND_NAME],
            useFactory: async (name: string) => ({
              offline: true,
              services: { backend: { name, fallback } },
            }),
          }),
          OrdersModule,
        ],
      },
      { logger: false, abortOnError: false },
    );
    const orders = app.get(Orders);
    expect(orders.kubeSmart).toBeInstanceOf(KubeSmart);
    expect(orders.backend.name).toBe('from-config');
    expect(await (await orders.backend.fetch('/')).json()).toEqual({ from: 'fallback' });
    expect(orders.inventory).toMatchObject({ name: 'inventory', namespace: 'stock' });
    expect(await app.resolve(getServiceToken('backend'))).toBe(orders.backend);

    const result = await orders.health.isHealthy('mesh');
    expect(result).toMatchObject({
      mesh: { status: 'up', services: { backend: { status: 'up', service: 'from-config', available: 1 } } },
    });
    await app.close();
    expect(orders.kubeSmart.closed).toBe(true);
  });

  it('uses an instance passed in and leaves it open at shutdown', async () => {
    const ks = createKubeSmart({ offline: true });
    const app = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [KubeSmartModule.forRoot({ kubeSmart: ks, isGlobal: true }), OrdersModule],
      },
      { logger: false, abortOnError: false },
    ).catch((error: unknown) => error);
    // `Orders` asks for `backend`, which this module does not declare and has no fallback offline.
    expect(app).toBeInstanceOf(InvalidArgumentError);

    const ok = await NestFactory.createApplicationContext(
      { module: class AppModule {}, imports: [KubeSmartModule.forRoot({ kubeSmart: ks })] },
      { logger: false, abortOnError: false },
    );
    expect(ok.get(KubeSmart)).toBe(ks);
    await ok.close();
    expect(ks.closed).toBe(false);
    await ks.close();
  });

  it('refuses options on @InjectService for an alias the module declares', async () => {
    @Injectable()
    class Confused {
      constructor(@InjectService('backend', { port: 'http' }) readonly backend: SmartService) {}
    }
    const error = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [KubeSmartModule.forRoot({ offline: true, services: { backend: { name: 'b', fallback } } })],
        providers: [Confused],
      },
      { logger: false, abortOnError: false },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toContain("is declared in the module's services");
  });

  it('boots without a reachable cluster and reports down; with failFast, init rejects and nothing stays open', async () => {
    const kubeConfig = await unreachableKubeConfig();
    const lenient = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [KubeSmartModule.forRoot({ kubeConfig, services: { backend: 'backend' } })],
      },
      { logger: false, abortOnError: false },
    );
    const down = await lenient.get(KubeSmartHealthIndicator).isHealthy();
    expect(down.kubesmart).toMatchObject({
      status: 'down',
      services: { backend: { status: 'down', ready: false } },
    });
    await lenient.close();

    const baseline = await handleBaseline();
    const strict = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [
          KubeSmartModule.forRoot({
            kubeConfig,
            services: { backend: 'backend' },
            failFast: { timeoutMs: 2000 },
          }),
        ],
      },
      { logger: false, abortOnError: false },
    ).catch((e: unknown) => e);
    expect(strict).toBeInstanceOf(KubeAPIUnavailableError);
    const extra = await waitFor(
      'every handle released',
      () => Object.keys(handlesAbove(baseline)).length === 0,
      {
        timeoutMs: 5000,
      },
    )
      .then(() => ({}))
      .catch(() => handlesAbove(baseline));
    expect(extra).toEqual({});
  });
});

describe('provider tokens', () => {
  it('two different custom balancers get different providers; equal plain options share one', async () => {
    const first = new RoundRobinBalancer();
    const second = new RoundRobinBalancer();
    const options = (balancer: RoundRobinBalancer) => ({ balancer, fallback, namespace: 'stock' });
    expect(getServiceToken('inventory', options(first))).not.toBe(
      getServiceToken('inventory', options(second)),
    );
    expect(getServiceToken('inventory', { port: 'http', namespace: 'stock' })).toBe(
      getServiceToken('inventory', { namespace: 'stock', port: 'http' }),
    );

    @Injectable()
    class TwoBalancers {
      constructor(
        @InjectService('inventory', options(first)) readonly viaFirst: SmartService,
        @InjectService('inventory', options(second)) readonly viaSecond: SmartService,
        @InjectService('inventory', options(first)) readonly viaFirstAgain: SmartService,
      ) {}
    }
    const app = await NestFactory.createApplicationContext(
      {
        module: class AppModule {},
        imports: [KubeSmartModule.forRoot({ offline: true, isGlobal: true })],
        providers: [TwoBalancers],
      },
      { logger: false, abortOnError: false },
    );
    const two = app.get(TwoBalancers);
    expect(two.viaFirst).not.toBe(two.viaSecond);
    expect(two.viaFirst).toBe(two.viaFirstAgain);
    await app.close();
  });
});

describe('routes', () => {
  it('serves GET <prefix>/status and <prefix>/healthz from the module, as the other adapters do', async () => {
    const app = await NestFactory.create(
      {
        module: class AppModule {},
        imports: [
          KubeSmartModule.forRoot({
            offline: true,
            services: { backend: { name: 'backend', fallback } },
            routes: { prefix: '/ops' },
            failFast: true,
          }),
        ],
      },
      { logger: false, abortOnError: false },
    );
    await app.listen(0, '127.0.0.1');
    const base = await app.getUrl();
    try {
      const health = await fetch(`${base}/ops/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'up', services: { backend: { status: 'up' } } });
      const status = await fetch(`${base}/ops/status`);
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ services: { backend: { service: 'backend' } } });
      expect((await fetch(`${base}/kubesmart/healthz`)).status).toBe(404);
    } finally {
      await app.close();
    }
  });
});
