import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakeClock.js';
import { closedPort, startHttpServer, startTcpServer, type TestServer } from '../../test/servers.js';
import { createEndpoint } from '../createEndpoint.js';
import { EndpointState } from '../endpoints/endpointState.js';
import { ActiveHealthChecker } from './activeHealthChecker.js';
import type { HealthEvent } from './activeHealthCheckOptions.js';

const servers: TestServer[] = [];
const checkers: ActiveHealthChecker[] = [];
afterEach(async () => {
  for (const checker of checkers.splice(0)) checker.close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function setup(options: ConstructorParameters<typeof ActiveHealthChecker>[0] = {}) {
  const clock = new FakeClock();
  const checker = new ActiveHealthChecker({
    clock,
    random: () => 0,
    intervalMs: 1000,
    watchConnections: false,
    ...options,
  });
  checkers.push(checker);
  const events: HealthEvent[] = [];
  checker.on('health', (event) => events.push(event));
  return { clock, checker, events };
}

const probesOf = (checker: ActiveHealthChecker): number => checker.status()[0]?.probes ?? 0;

describe('ActiveHealthChecker', () => {
  it('marks a reachable endpoint healthy at once, then probes every interval', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const { clock, checker, events } = setup();
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await checker.initialized();
    expect(state.health).toBe('healthy');
    expect(events).toMatchObject([{ status: 'healthy', previous: 'unknown', endpoint: { id: state.id } }]);
    await clock.advance(999);
    expect(server.hits).toBe(1);
    await clock.advance(1);
    await expect.poll(() => probesOf(checker)).toBe(2);
    await clock.advance(1000);
    await expect.poll(() => probesOf(checker)).toBe(3);
    expect(server.hits).toBe(3);
    expect(events).toHaveLength(1);
  });

  it('retries the first probe with exponential backoff before marking unhealthy (as kubeSmartService)', async () => {
    const { clock, checker, events } = setup({ initialRetries: 2, backoffBaseMs: 200 });
    const state = new EndpointState(createEndpoint({ host: '127.0.0.1', port: await closedPort() }));
    checker.add(state);
    let initialized = false;
    void checker.initialized().then(() => {
      initialized = true;
    });
    await expect.poll(() => probesOf(checker)).toBe(1);
    await clock.advance(199);
    expect(probesOf(checker)).toBe(1);
    await clock.advance(1);
    await expect.poll(() => probesOf(checker)).toBe(2);
    expect(state.health).toBe('unknown');
    await clock.advance(399);
    expect(probesOf(checker)).toBe(2);
    await clock.advance(1);
    await expect.poll(() => probesOf(checker)).toBe(3);
    expect(state.health).toBe('unhealthy');
    expect(events).toMatchObject([{ status: 'unhealthy', previous: 'unknown', reason: 'ECONNREFUSED' }]);
    await expect.poll(() => initialized).toBe(true);
  });

  it('applies healthy and unhealthy thresholds to HTTP checks', async () => {
    let status = 200;
    const server = await startHttpServer((_req, res) => {
      res.statusCode = status;
      res.end();
    });
    servers.push(server);
    const { clock, checker, events } = setup({
      type: 'http',
      path: '/health',
      healthyThreshold: 2,
      unhealthyThreshold: 3,
    });
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await checker.initialized();
    expect(state.health).toBe('healthy');
    status = 503;
    for (let probe = 2; probe <= 3; probe++) {
      await clock.advance(1000);
      await expect.poll(() => probesOf(checker)).toBe(probe);
      expect(state.health).toBe('healthy');
    }
    await clock.advance(1000);
    await expect.poll(() => state.health).toBe('unhealthy');
    expect(checker.status()[0]).toMatchObject({ consecutiveFailures: 3, lastReason: 'HTTP 503' });
    status = 204;
    await clock.advance(1000);
    await expect.poll(() => probesOf(checker)).toBe(5);
    expect(state.health).toBe('unhealthy');
    await clock.advance(1000);
    await expect.poll(() => state.health).toBe('healthy');
    expect(events.map((e) => e.status)).toEqual(['healthy', 'unhealthy', 'healthy']);
  });

  it('marks an endpoint unhealthy at the first refused connection, whatever unhealthyThreshold', async () => {
    const server = await startTcpServer();
    const { clock, checker, events } = setup({ unhealthyThreshold: 3 });
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await checker.initialized();
    expect(state.reachableAt).toBe(clock.now());
    await server.close();
    await clock.advance(1000);
    await expect.poll(() => state.health).toBe('unhealthy');
    expect(checker.status()[0]).toMatchObject({ consecutiveFailures: 1, lastReason: 'ECONNREFUSED' });
    expect(events.map((e) => e.status)).toEqual(['healthy', 'unhealthy']);
  });

  it('holds a connection to each healthy endpoint and probes it the moment the endpoint closes it', async () => {
    const server = await startTcpServer();
    const { checker, events } = setup({ watchConnections: true, unhealthyThreshold: 3 });
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await checker.initialized();
    await expect.poll(() => server.hits).toBe(2);
    // No time passes on the clock: the closed connection alone triggers the probe.
    await server.close();
    await expect.poll(() => state.health).toBe('unhealthy');
    expect(events.map((e) => [e.status, e.reason])).toEqual([
      ['healthy', undefined],
      ['unhealthy', 'ECONNREFUSED'],
    ]);
    checker.close();
  });

  it('checkNow() probes at once (not twice at a time), and markUnhealthy() takes an endpoint out until probes pass', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const { clock, checker } = setup({ healthyThreshold: 2 });
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await checker.initialized();
    await clock.advance(500);
    checker.checkNow(state);
    checker.checkNow(state);
    await expect.poll(() => probesOf(checker)).toBe(2);
    expect(server.hits).toBe(2);
    checker.checkNow(state);
    await clock.advance(1);
    expect(probesOf(checker)).toBe(2);
    checker.markUnhealthy(state, 'ECONNREFUSED from a caller');
    expect(state.health).toBe('unhealthy');
    expect(checker.status()[0]?.lastReason).toBe('ECONNREFUSED from a caller');
    await clock.advance(1000);
    await expect.poll(() => probesOf(checker)).toBe(3);
    expect(state.health).toBe('unhealthy');
    await clock.advance(1000);
    await expect.poll(() => state.health).toBe('healthy');
    checker.checkNow(new EndpointState(createEndpoint({ host: '127.0.0.1', port: 1 })));
  });

  it('fails a probe that gets no answer within the timeout', async () => {
    const server = await startHttpServer(() => {});
    servers.push(server);
    const { clock, checker } = setup({ type: 'http', timeoutMs: 500, initialRetries: 0 });
    const state = new EndpointState(createEndpoint({ host: server.host, port: server.port }));
    checker.add(state);
    await expect.poll(() => server.hits).toBe(1);
    expect(state.health).toBe('unknown');
    await clock.advance(500);
    await expect.poll(() => state.health).toBe('unhealthy');
    expect(checker.status()[0]?.lastReason).toBe('no answer within 500 ms');
  });

  it('adds jitter to the interval', async () => {
    const server = await startTcpServer();
    servers.push(server);
    const { clock, checker } = setup({ random: () => 0.5, jitterRatio: 0.2 });
    checker.add(new EndpointState(createEndpoint({ host: server.host, port: server.port })));
    await checker.initialized();
    await clock.advance(1099);
    expect(probesOf(checker)).toBe(1);
    await clock.advance(1);
    await expect.poll(() => probesOf(checker)).toBe(2);
  });

  it('sync() follows membership, and close() clears every timer and stops probing', async () => {
    const a = await startTcpServer();
    const b = await startTcpServer('127.0.0.3');
    servers.push(a, b);
    const { clock, checker, events } = setup();
    const stateA = new EndpointState(createEndpoint({ host: a.host, port: a.port }));
    const stateB = new EndpointState(createEndpoint({ host: b.host, port: b.port }));
    checker.sync([stateA, stateB]);
    await checker.initialized();
    expect(clock.pending).toBe(2);
    checker.sync([stateB]);
    expect(clock.pending).toBe(1);
    expect(checker.status().map((s) => s.endpoint.id)).toEqual([stateB.id]);
    checker.close();
    expect(clock.pending).toBe(0);
    await clock.advance(10_000);
    expect(a.hits + b.hits).toBe(2);
    expect(events).toHaveLength(2);
    expect(() => checker.add(stateA)).toThrow(/after close/);
  });

  it('close() aborts a probe in flight and resolves initialized()', async () => {
    const server = await startHttpServer(() => {});
    servers.push(server);
    const { clock, checker, events } = setup({ type: 'http' });
    checker.add(new EndpointState(createEndpoint({ host: server.host, port: server.port })));
    await expect.poll(() => server.hits).toBe(1);
    const initialized = checker.initialized();
    checker.close();
    await initialized;
    expect(clock.pending).toBe(0);
    expect(events).toEqual([]);
  });
});
