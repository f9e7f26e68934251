import { connect, createServer } from 'node:net';
import { waitFor } from '@kubesmart/wait-for';
import { afterEach, describe, expect, it } from 'vitest';
import { IpAllocator } from './ipAllocator.js';
import { PodServers, type PodServersOptions } from './podServers.js';

const logger = { debug() {}, info() {}, warn() {}, error() {} };
const allocator = new IpAllocator();
const started: PodServers[] = [];

async function serve(options: Partial<PodServersOptions> = {}): Promise<PodServers> {
  const servers = new PodServers({
    pod: 'web-1',
    namespace: 'shop',
    ip: allocator.allocate(),
    ports: [8080, 9090],
    logger,
    ...options,
  });
  started.push(servers);
  await servers.start();
  return servers;
}

/** Resolves 'connected' or the error code of a plain TCP connect. */
function connectOutcome(ip: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.stop()));
});

describe('PodServers', () => {
  it('serves the default handler on every declared port', async () => {
    const servers = await serve();
    for (const port of [8080, 9090]) {
      const res = await fetch(`http://${servers.ip}:${port}/api/items?x=1`, { method: 'POST', body: 'hi' });
      expect(res.status).toBe(200);
      expect(res.headers.get('x-pod-name')).toBe('web-1');
      expect(await res.json()).toEqual({
        pod: 'web-1',
        namespace: 'shop',
        port,
        method: 'POST',
        path: '/api/items?x=1',
      });
    }
    const health = await fetch(`http://${servers.ip}:8080/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok');
  });

  it('hangs: accepts and reads but never answers, until stop destroys the socket', async () => {
    const servers = await serve({ behaviour: { mode: 'hang' } });
    await expect(fetch(`http://${servers.ip}:8080/`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
    const pending = fetch(`http://${servers.ip}:8080/healthz`).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor('the hung request to connect', () => servers.connections > 0);
    expect(servers.connections).toBeGreaterThan(0);
    await servers.stop();
    expect(await pending).toBe('failed');
    expect(servers.connections).toBe(0);
  });

  it('slows every request down, health checks included', async () => {
    const servers = await serve({ behaviour: { mode: 'slow', ms: 2000 } });
    await expect(
      fetch(`http://${servers.ip}:8080/healthz`, { signal: AbortSignal.timeout(50) }),
    ).rejects.toThrow();
    servers.behaviour = { mode: 'slow', ms: 20 };
    const res = await fetch(`http://${servers.ip}:8080/healthz`);
    expect(await res.text()).toBe('ok');
  });

  it('fails every request with the given status, health checks included', async () => {
    const servers = await serve({ behaviour: { mode: 'fail', status: 503 } });
    expect((await fetch(`http://${servers.ip}:8080/healthz`)).status).toBe(503);
    const res = await fetch(`http://${servers.ip}:9090/x`);
    expect(res.status).toBe(503);
    expect(res.headers.get('x-pod-name')).toBe('web-1');
    servers.behaviour = { mode: 'serve' };
    expect((await fetch(`http://${servers.ip}:8080/healthz`)).status).toBe(200);
  });

  it('refuses connections once stopped, keep-alive connections included', async () => {
    const servers = await serve();
    expect((await fetch(`http://${servers.ip}:8080/`)).status).toBe(200);
    await servers.stop();
    expect(servers.listening).toBe(false);
    expect(servers.connections).toBe(0);
    expect(await connectOutcome(servers.ip, 8080)).toBe('ECONNREFUSED');
    await expect(fetch(`http://${servers.ip}:8080/`)).rejects.toThrow();
  });

  it('hands requests to a custom HTTP handler with the pod context', async () => {
    const servers = await serve({
      handler: async (req, res, ctx) => {
        res.writeHead(201, { 'Content-Type': 'text/plain' });
        res.end(`${ctx.namespace}/${ctx.pod}:${ctx.port} ${req.method} ${req.url}`);
      },
    });
    const res = await fetch(`http://${servers.ip}:9090/hello`);
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('shop/web-1:9090 GET /hello');
  });

  it('answers 500 when a custom HTTP handler throws', async () => {
    const servers = await serve({
      handler: () => {
        throw new Error('boom');
      },
    });
    expect((await fetch(`http://${servers.ip}:8080/`)).status).toBe(500);
  });

  it('hands raw connections to a TCP handler, switchable at runtime', async () => {
    const servers = await serve();
    servers.handler = { tcp: (socket, ctx) => socket.end(`hello from ${ctx.pod}:${ctx.port}\n`) };
    const text = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: servers.ip, port: 8080 });
      let data = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        data += chunk;
      });
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    expect(text).toBe('hello from web-1:8080\n');
    servers.handler = undefined;
    expect((await fetch(`http://${servers.ip}:8080/healthz`)).status).toBe(200);
  });

  it('rejects start with EADDRINUSE and keeps nothing open when a port is taken', async () => {
    const ip = allocator.allocate();
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: ip, port: 9090 }, resolve));
    try {
      const servers = new PodServers({ pod: 'p', namespace: 'default', ip, ports: [8080, 9090], logger });
      await expect(servers.start()).rejects.toMatchObject({ code: 'EADDRINUSE' });
      expect(servers.listening).toBe(false);
      expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
