import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, NS, startHarness, type TestHandler, waitFor } from './harness.js';

/** Pods of the `flaky` app: health always passes; `/flaky/work` fails on the pods in `failing`. */
const failing = new Set<string>();
const hits = new Map<string, number>();
const hitsOf = (path: string): number =>
  [...hits].filter(([k]) => k.endsWith(` ${path}`)).reduce((n, [, v]) => n + v, 0);
const flaky: TestHandler = (req, res, ctx) => {
  const path = (req.url ?? '/').split('?')[0]!;
  const reply = (status: number): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ pod: ctx.pod, status }));
  };
  if (path === '/flaky/health') return reply(200);
  hits.set(`${ctx.pod} ${path}`, (hits.get(`${ctx.pod} ${path}`) ?? 0) + 1);
  if (path === '/flaky/missing') return reply(404);
  if (path === '/flaky/unavailable') return reply(503);
  return reply(failing.has(ctx.pod) ? 500 : 200);
};

const CONFIG = `
gateway: { namespace: ${NS} }
services:
  flaky:
    path: /flaky
    port: http
    balancer: round-robin
    health_check: false
    outlier_detection: false
    retry: { max_attempts: 3, backoff_ms: 0, per_try_timeout_ms: 2000, budget_percent: 0 }
    circuit_breaker: { failure_threshold: 2, timeout_ms: 3000, half_open_requests: 1 }
  retry:
    name: flaky
    path: /retry
    strip_prefix: true
    port: http
    balancer: round-robin
    health_check: false
    outlier_detection: false
    circuit_breaker: false
    retry: { max_attempts: 3, backoff_ms: 0, budget_percent: 0 }
`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ config: CONFIG, shop: false, apps: { flaky: { replicas: 2, handler: flaky } } });
});
afterAll(async () => {
  await h?.close();
});

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${h.url}${path}`, init);
const circuitOf = (pod: string): string | undefined =>
  h.gateway.status().services.flaky!.endpoints.find((e) => e.pod === pod)?.circuit;

describe('circuit breaker (closed -> open -> half-open -> open | closed)', () => {
  it('opens after 2 failures, routes around the pod, lets one trial through half-open, and closes when it passes', async () => {
    const [bad, good] = h.readyPods('flaky') as [string, string];
    failing.add(bad);
    await waitFor('the circuit of the failing pod to open', async () => {
      await get('/flaky/work');
      return circuitOf(bad) === 'open';
    });
    const before = hits.get(`${bad} /flaky/work`) ?? 0;
    for (let i = 0; i < 10; i++) {
      const res = await get('/flaky/work');
      expect(res.status).toBe(200);
      expect(res.headers.get('x-replica-id')).toBe(good);
    }
    expect(hits.get(`${bad} /flaky/work`)).toBe(before);
    expect(h.gateway.status().services.flaky!.breakers).toEqual({ closed: 1, open: 1, 'half-open': 0 });

    // After `timeout_ms` (3 s) the circuit turns half-open; a failing trial opens it again.
    await waitFor('half-open', () => circuitOf(bad) === 'half-open');
    await waitFor('the failed trial to reopen the circuit', async () => {
      await get('/flaky/work');
      return circuitOf(bad) === 'open';
    });

    // Healed: the next trial passes and closes it.
    failing.clear();
    await waitFor('half-open again', () => circuitOf(bad) === 'half-open');
    await waitFor('the passing trial to close the circuit', async () => {
      await get('/flaky/work');
      return circuitOf(bad) === 'closed';
    });
    const transitions = h.gateway.events
      .recent(100, 'flaky')
      .filter((e) => e.kind === 'breaker' && e.pod === bad)
      .map((e) => e.detail);
    expect(transitions).toEqual([
      'circuit closed -> open',
      'circuit open -> half-open',
      'circuit half-open -> open',
      'circuit open -> half-open',
      'circuit half-open -> closed',
    ]);
    expect(h.gateway.status().services.flaky!.counters.breakerOpens).toBe(2);
  });

  it('POST /mesh/reset/:service closes open circuits', async () => {
    const [bad] = h.readyPods('flaky') as [string];
    failing.add(bad);
    await waitFor('open again', async () => {
      await get('/flaky/work');
      return circuitOf(bad) === 'open';
    });
    failing.clear();
    const res = await get('/mesh/reset/flaky', { method: 'POST' });
    expect(await res.json()).toMatchObject({ reset: 'flaky', breakers: { open: 0, 'half-open': 0 } });
    expect(circuitOf(bad)).toBe('closed');
  });
});

describe('retries', () => {
  it('never retries a 4xx: one attempt, one hit on one pod', async () => {
    const res = await get('/retry/flaky/missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('x-mesh-attempts')).toBe('1');
    expect(hitsOf('/flaky/missing')).toBe(1);
  });

  it('retries an idempotent request on 503 up to max_attempts, on another pod first, then answers the last 503', async () => {
    const res = await get('/retry/flaky/unavailable');
    expect(res.status).toBe(503);
    expect(res.headers.get('x-mesh-attempts')).toBe('3');
    expect(hitsOf('/flaky/unavailable')).toBe(3);
    const pods = [...hits.keys()]
      .filter((k) => k.endsWith(' /flaky/unavailable'))
      .map((k) => k.split(' ')[0]);
    expect(new Set(pods).size).toBe(2);
  });

  it('does not retry a POST that reached a pod', async () => {
    const before = hitsOf('/flaky/unavailable');
    const res = await get('/retry/flaky/unavailable', { method: 'POST', body: 'x' });
    expect(res.status).toBe(503);
    expect(res.headers.get('x-mesh-attempts')).toBe('1');
    expect(hitsOf('/flaky/unavailable')).toBe(before + 1);
  });

  it('strips the route prefix when strip_prefix is set', async () => {
    const res = await get('/retry/flaky/work');
    expect(res.status).toBe(200);
    expect(hitsOf('/flaky/work')).toBeGreaterThan(0);
  });
});
