import { afterEach, describe, expect, it } from 'vitest';
import { closedPort, startHttpServer, type TestServer } from '../../test/servers.js';
import { createPicker } from '../balancing/endpointPicker.js';
import { LeastRequestBalancer } from '../balancing/leastRequest.js';
import { RoundRobinBalancer } from '../balancing/roundRobin.js';
import { createEndpoint } from '../createEndpoint.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import { UpstreamError } from '../errors.js';
import { OutlierDetector } from '../health/outlierDetector.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { Failover } from './failover.js';

const servers: TestServer[] = [];
const closers: (() => void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) close();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function ok(host: string, body: string): Promise<TestServer> {
  const server = await startHttpServer((_req, res) => res.end(body), host);
  servers.push(server);
  return server;
}

/** An attempt over real HTTP: 5xx becomes an UpstreamError so failover can judge it. */
const get =
  (method = 'GET') =>
  async (state: EndpointState, signal: AbortSignal): Promise<string> => {
    const res = await fetch(`${state.endpoint.url}/work`, { method, signal });
    const text = await res.text();
    if (res.status >= 400)
      throw new UpstreamError(`HTTP ${res.status} from ${state.id}`, { status: res.status });
    return text;
  };

describe('Failover over real HTTP servers', () => {
  it('idempotent calls succeed across a refusing pod and a 503 pod', async () => {
    const good = await ok('127.0.0.3', 'good');
    const unavailable = await startHttpServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    }, '127.0.0.2');
    servers.push(unavailable);
    const set = new EndpointSet();
    set.update([
      createEndpoint({ host: '127.0.0.1', port: await closedPort() }),
      createEndpoint({ host: unavailable.host, port: unavailable.port }),
      createEndpoint({ host: good.host, port: good.port }),
    ]);
    const failover = new Failover({ picker: createPicker(set, new RoundRobinBalancer()), service: 'work' });
    const results = await Promise.all(
      Array.from({ length: 30 }, () => failover.execute(get(), { idempotent: true })),
    );
    expect(results.every((r) => r === 'good')).toBe(true);
    expect(set.all[0]!.failures).toBeGreaterThan(0);
    expect(set.all[1]!.failures).toBeGreaterThan(0);
  });

  it('a POST is retried after a refused connection, but not after the server may have seen it', async () => {
    const resetter = await startHttpServer((req) => req.socket.destroy(), '127.0.0.2');
    servers.push(resetter);
    const set = new EndpointSet();
    set.update([
      createEndpoint({ host: '127.0.0.1', port: await closedPort() }),
      createEndpoint({ host: resetter.host, port: resetter.port }),
    ]);
    const failover = new Failover({
      picker: createPicker(set, new RoundRobinBalancer({ random: () => 0 })),
      service: 'orders',
    });
    const error = (await failover.execute(get('POST')).catch((e: unknown) => e)) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.details).toMatchObject({ attempts: 2, reason: 'not-idempotent' });
    expect(resetter.hits).toBe(1);
  });

  it('a pod killed under load costs no idempotent call, and leaves the candidates', async () => {
    const pods = await Promise.all(['127.0.0.1', '127.0.0.2', '127.0.0.3'].map((host) => ok(host, host)));
    const set = new EndpointSet();
    set.update(pods.map((pod) => createEndpoint({ host: pod.host, port: pod.port })));
    const breaker = new CircuitBreaker();
    const outlierDetector = new OutlierDetector(set);
    closers.push(
      () => breaker.close(),
      () => outlierDetector.close(),
    );
    const failover = new Failover({
      picker: createPicker(set, new LeastRequestBalancer()),
      breaker,
      outlierDetector,
      service: 'work',
    });
    let failed = 0;
    let served = 0;
    const victim = pods[1]!;
    for (let round = 0; round < 30; round++) {
      if (round === 10) await victim.close();
      const batch = await Promise.allSettled(
        Array.from({ length: 10 }, () => failover.execute(get(), { idempotent: true })),
      );
      for (const result of batch) {
        if (result.status === 'rejected') failed++;
        else served++;
      }
    }
    expect(failed).toBe(0);
    expect(served).toBe(300);
    const dead = set.get(`${victim.host}:${victim.port}`)!;
    expect(dead.available).toBe(false);
    expect(set.candidates).not.toContain(dead);
  });
});
