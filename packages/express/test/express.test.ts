import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createKubeSmart,
  ErrorCode,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  type KubeSmart,
} from '@kubesmart/core';
import { httpGet, unreachableKubeConfig } from '@kubesmart/test-utils';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { kubeSmart, kubeSmartRouter } from '../src/index.js';

/** A plain local server standing in for a backend, used as the `fallback` of offline services. */
let backend: Server;
let fallback: { host: string; port: number };
const open: (() => Promise<void>)[] = [];

beforeAll(async () => {
  backend = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ from: 'fallback' }));
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  fallback = { host: '127.0.0.1', port: (backend.address() as AddressInfo).port };
});

afterEach(async () => {
  for (const close of open.splice(0)) await close();
});

afterAll(async () => {
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

async function serve(app: express.Express): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  open.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('kubeSmart() middleware', () => {
  it('sets req.kube with the declared services, and serves status and health', async () => {
    const kube = kubeSmart({ offline: true, services: { backend: { name: 'my-backend', fallback } } });
    open.push(kube.close);
    const app = express();
    app.use(kube, kubeSmartRouter());
    app.get('/backend', async (req, res) => {
      const response = await req.kube.services.backend!.fetch('/');
      res.json({ body: await response.json(), same: req.kube.kubeSmart === kube.kubeSmart });
    });
    const url = await serve(app);

    expect((await httpGet(`${url}/backend`)).body).toEqual({ body: { from: 'fallback' }, same: true });
    const health = await httpGet(`${url}/kubesmart/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'up',
      services: { backend: { status: 'up', service: 'my-backend', available: 1 } },
    });
    const status = await httpGet(`${url}/kubesmart/status`);
    expect(status.body).toMatchObject({
      services: { backend: { service: 'my-backend', source: 'fallback' } },
    });
  });

  it('mounts the routes under another prefix', async () => {
    const kube = kubeSmart({ offline: true, services: {} });
    open.push(kube.close);
    const app = express();
    app.use(kube, kubeSmartRouter({ prefix: '/_mesh' }));
    const url = await serve(app);
    expect((await httpGet(`${url}/_mesh/healthz`)).body).toEqual({ status: 'up', services: {} });
  });

  it('serves the routes itself with the `routes` option, as the other adapters do', async () => {
    const kube = kubeSmart({
      offline: true,
      services: { backend: { name: 'my-backend', fallback } },
      routes: { prefix: '/ops' },
      failFast: true,
    });
    open.push(kube.close);
    await kube.start();
    const app = express();
    app.use(kube);
    app.get('/ops/other', (_req, res) => res.json({ passed: true }));
    const url = await serve(app);
    const health = await httpGet(`${url}/ops/healthz`);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'up', services: { backend: { status: 'up' } } });
    expect((await httpGet(`${url}/ops/status`)).body).toMatchObject({
      services: { backend: { service: 'my-backend' } },
    });
    expect((await httpGet(`${url}/ops/other`)).body).toEqual({ passed: true });
  });

  it('start() with failFast rejects when a service cannot start, and closes the instance it made', async () => {
    const kube = kubeSmart({
      kubeConfig: await unreachableKubeConfig(),
      services: { backend: 'backend' },
      failFast: { timeoutMs: 2000 },
    });
    open.push(kube.close);
    await expect(kube.start()).rejects.toBeInstanceOf(KubeAPIUnavailableError);
    expect(kube.kubeSmart.closed).toBe(true);
  });

  it('uses an instance passed in and leaves it open on close()', async () => {
    const ks: KubeSmart = createKubeSmart({ offline: true });
    const kube = kubeSmart({ kubeSmart: ks, services: { backend: { name: 'backend', fallback } } });
    expect(kube.kubeSmart).toBe(ks);
    await kube.close();
    expect(ks.closed).toBe(false);
    expect(ks.services()).toHaveLength(1);
    await ks.close();
  });

  it('closes an instance it created', async () => {
    const kube = kubeSmart({ offline: true });
    await kube.close();
    expect(kube.kubeSmart.closed).toBe(true);
  });

  it('rejects an instance together with options to create one', () => {
    const ks = createKubeSmart({ offline: true });
    open.push(() => ks.close());
    expect(() => kubeSmart({ kubeSmart: ks, namespace: 'shop' })).toThrow(InvalidArgumentError);
    expect(() => kubeSmart({ kubeSmart: ks, namespace: 'shop' })).toThrow(
      /not both \(got kubeSmart with namespace\)/,
    );
  });

  it('rejects a service that is neither a name nor { name }', () => {
    const error = (() => {
      try {
        kubeSmart({ offline: true, services: { backend: { port: 80 } as never } });
      } catch (e) {
        return e as InvalidArgumentError;
      }
    })();
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error?.code).toBe(ErrorCode.INVALID_ARGUMENT);
    expect(error?.message).toContain('services.backend must be a Service name');
  });

  it('answers 500 when the router is mounted without the middleware', async () => {
    const app = express();
    app.use(kubeSmartRouter());
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ name: error.name, message: error.message });
    });
    const url = await serve(app);
    const res = await httpGet(`${url}/kubesmart/healthz`);
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({
      name: 'InvalidArgumentError',
      message: expect.stringContaining('app.use(kubeSmart('),
    });
  });
});

describe('kubeSmart() with several instances', () => {
  it('gives each request the context of the middleware it went through', async () => {
    const a = kubeSmart({ offline: true, services: { backend: { name: 'svc-a', fallback } } });
    const b = kubeSmart({ offline: true, services: { backend: { name: 'svc-b', fallback } } });
    open.push(a.close, b.close);
    const app = express();
    const sub = express();
    sub.use(b);
    sub.get('/which', (req, res) => {
      res.json({ service: req.kube.services.backend!.name });
    });
    app.use('/b', sub);
    app.use('/a', a);
    app.get('/a/which', (req, res) => {
      res.json({ service: req.kube.services.backend!.name });
    });
    const url = await serve(app);
    for (let i = 0; i < 3; i += 1) {
      expect((await httpGet(`${url}/a/which`)).body).toEqual({ service: 'svc-a' });
      expect((await httpGet(`${url}/b/which`)).body).toEqual({ service: 'svc-b' });
    }
  });

  it('falls back to a per-request property when another kubeSmart() owns the app', async () => {
    const a = kubeSmart({ offline: true, services: { backend: { name: 'svc-a', fallback } } });
    const b = kubeSmart({ offline: true, services: { backend: { name: 'svc-b', fallback } } });
    open.push(a.close, b.close);
    const app = express();
    app.use('/a', a);
    app.use('/b', b);
    app.get(['/a/which', '/b/which'], (req, res) => {
      res.json({ service: req.kube.services.backend!.name });
    });
    const url = await serve(app);
    for (let i = 0; i < 3; i += 1) {
      expect((await httpGet(`${url}/a/which`)).body).toEqual({ service: 'svc-a' });
      expect((await httpGet(`${url}/b/which`)).body).toEqual({ service: 'svc-b' });
    }
  });

  it('takes req.kube off the app when closed', async () => {
    const kube = kubeSmart({ offline: true });
    const app = express();
    app.use(kube);
    app.get('/', (req, res) => {
      res.json({ has: req.kube !== undefined });
    });
    const url = await serve(app);
    await httpGet(url);
    expect(Object.hasOwn(app.request, 'kube')).toBe(true);
    await kube.close();
    expect(Object.hasOwn(app.request, 'kube')).toBe(false);
  });
});
