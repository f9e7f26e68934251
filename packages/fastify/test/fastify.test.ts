import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createKubeSmart, InvalidArgumentError, KubeAPIUnavailableError } from '@kubesmart/core';
import { handleBaseline, handlesAbove, unreachableKubeConfig, waitFor } from '@kubesmart/test-utils';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kubeSmartDefault, { kubeSmart } from '../src/index.js';

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

describe('@kubesmart/fastify', () => {
  it('is a fastify-plugin named @kubesmart/fastify, also the default export', () => {
    expect(kubeSmartDefault).toBe(kubeSmart);
    const meta = (kubeSmart as unknown as Record<symbol, { name: string; fastify: string }>)[
      Symbol.for('plugin-meta')
    ];
    expect(meta).toMatchObject({ name: '@kubesmart/fastify', fastify: '5.x' });
  });

  it('decorates fastify.kube and request.kube with the declared services', async () => {
    const app = Fastify();
    await app.register(kubeSmart, { offline: true, services: { backend: { name: 'my-backend', fallback } } });
    app.get('/backend', async (request) => {
      const response = await request.kube.services.backend!.fetch('/');
      return { body: await response.json(), same: request.kube === app.kube };
    });
    const res = await app.inject({ url: '/backend' });
    expect(res.json()).toEqual({ body: { from: 'fallback' }, same: true });
    expect(app.kube.services.backend!.name).toBe('my-backend');
    await app.close();
    expect(app.kube.kubeSmart.closed).toBe(true);
  });

  it('adds status and health routes only when asked, under the given prefix', async () => {
    const app = Fastify();
    await app.register(kubeSmart, { offline: true, services: { backend: { name: 'b', fallback } } });
    expect((await app.inject({ url: '/kubesmart/healthz' })).statusCode).toBe(404);
    await app.close();

    const withRoutes = Fastify();
    await withRoutes.register(kubeSmart, {
      offline: true,
      services: { backend: { name: 'b', fallback } },
      routes: { prefix: '/_mesh' },
    });
    const health = await withRoutes.inject({ url: '/_mesh/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({
      status: 'up',
      services: { backend: { status: 'up', service: 'b' } },
    });
    const status = await withRoutes.inject({ url: '/_mesh/status' });
    expect(status.json()).toMatchObject({ services: { backend: { service: 'b', source: 'fallback' } } });
    await withRoutes.close();
  });

  it('uses an instance passed in and leaves it open on close', async () => {
    const ks = createKubeSmart({ offline: true });
    const app = Fastify();
    await app.register(kubeSmart, { kubeSmart: ks, services: { backend: { name: 'b', fallback } } });
    expect(app.kube.kubeSmart).toBe(ks);
    await app.close();
    expect(ks.closed).toBe(false);
    await ks.close();
  });

  it('fails registration on invalid options', async () => {
    const ks = createKubeSmart({ offline: true });
    const app = Fastify();
    await expect(app.register(kubeSmart, { kubeSmart: ks, namespace: 'x' })).rejects.toThrow(
      InvalidArgumentError,
    );
    await app.close();
    await ks.close();
  });

  it('with failFast, rejects ready() when the cluster cannot be reached and leaves nothing open', async () => {
    const kubeConfig = await unreachableKubeConfig();
    const baseline = await handleBaseline();
    const app = Fastify();
    app.register(kubeSmart, { kubeConfig, services: { backend: 'backend' }, failFast: { timeoutMs: 2000 } });
    await expect(app.ready()).rejects.toThrow(KubeAPIUnavailableError);
    await app.close();
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
