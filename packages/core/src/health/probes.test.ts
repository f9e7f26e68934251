import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startHttpServer, startTcpServer, type TestServer } from '../../test/servers.js';
import { createEndpoint } from '../createEndpoint.js';
import { createHttpProbe, createTcpProbe } from './probes.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

const signal = (): AbortSignal => new AbortController().signal;

describe('TCP probe', () => {
  it('passes when the port accepts, fails when refused', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const probe = createTcpProbe();
    expect(await probe(createEndpoint({ host: server.host, port: server.port }), signal())).toEqual({
      ok: true,
    });
    const refused = await probe(createEndpoint({ host: '127.0.0.1', port: await closedPort() }), signal());
    expect(refused).toEqual({ ok: false, reason: 'ECONNREFUSED' });
  });

  it('can probe another port and another loopback address', async () => {
    const server = await startTcpServer('127.0.0.2');
    servers.push(server);
    const probe = createTcpProbe({ port: server.port });
    expect(await probe(createEndpoint({ host: '127.0.0.2', port: 1 }), signal())).toEqual({ ok: true });
  });

  it('settles as aborted when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await createTcpProbe()(createEndpoint({ host: '127.0.0.1', port: 1 }), controller.signal);
    expect(result).toEqual({ ok: false, reason: 'aborted' });
  });
});

describe('HTTP probe', () => {
  it('checks the path and status range', async () => {
    const paths: string[] = [];
    const server = await startHttpServer((req, res) => {
      paths.push(req.url ?? '');
      res.statusCode = req.url === '/ready' ? 204 : 503;
      res.end('body');
    });
    servers.push(server);
    const endpoint = createEndpoint({ host: server.host, port: server.port });
    expect(await createHttpProbe({ path: '/ready' })(endpoint, signal())).toEqual({ ok: true });
    expect(await createHttpProbe()(endpoint, signal())).toEqual({ ok: false, reason: 'HTTP 503' });
    expect(await createHttpProbe({ path: '/x', expectedStatus: 503 })(endpoint, signal())).toEqual({
      ok: true,
    });
    expect(await createHttpProbe({ path: '/ready', expectedStatus: [200, 200] })(endpoint, signal())).toEqual(
      {
        ok: false,
        reason: 'HTTP 204',
      },
    );
    expect(paths).toEqual(['/ready', '/healthz', '/x', '/ready']);
  });

  it('fails when refused, and settles when aborted while the server hangs', async () => {
    const refused = await createHttpProbe()(
      createEndpoint({ host: '127.0.0.1', port: await closedPort() }),
      signal(),
    );
    expect(refused).toEqual({ ok: false, reason: 'ECONNREFUSED' });
    const server = await startHttpServer(() => {});
    servers.push(server);
    const controller = new AbortController();
    const pending = createHttpProbe()(
      createEndpoint({ host: server.host, port: server.port }),
      controller.signal,
    );
    await expect.poll(() => server.hits).toBe(1);
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: 'aborted' });
  });
});
