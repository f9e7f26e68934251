import { describe, expect, it } from 'vitest';
import { endpoints } from '../../test/endpoints.js';
import { FakeClock } from '../../test/fakeClock.js';
import { ConsistentHashBalancer } from '../balancing/consistentHash.js';
import { createPicker } from '../balancing/endpointPicker.js';
import { RoundRobinBalancer } from '../balancing/roundRobin.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import {
  CallTimeoutError,
  CircuitOpenError,
  NoHealthyEndpointsError,
  RetryBudgetExhaustedError,
  UpstreamError,
} from '../errors.js';
import { OutlierDetector } from '../health/outlierDetector.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { Failover } from './failover.js';
import type { FailoverEvent, FailoverOptions } from './failoverOptions.js';
import { HedgePolicy } from './hedging.js';
import { RetryBudget } from './retryBudget.js';

const withCode = (code: string): Error => Object.assign(new Error(`connect ${code}`), { code });
const status = (s: number): UpstreamError => new UpstreamError(`HTTP ${s}`, { status: s });

function setup(count = 3, options: Partial<FailoverOptions> = {}, setOptions = {}) {
  const clock = new FakeClock();
  const set = new EndpointSet(setOptions);
  set.update(endpoints(count));
  const breaker = new CircuitBreaker({ clock });
  const outlierDetector = new OutlierDetector(set, { clock });
  const failover = new Failover({
    picker: createPicker(set, new RoundRobinBalancer({ random: () => 0 })),
    breaker,
    outlierDetector,
    clock,
    random: () => 0,
    service: 'api.default',
    ...options,
  });
  const events: FailoverEvent[] = [];
  failover.on('failover', (e) => events.push(e));
  /** A call whose attempts fail with the given errors in turn, then succeed. */
  const script = (...errors: unknown[]) => {
    const seen: EndpointState[] = [];
    const fn = async (state: EndpointState): Promise<string> => {
      seen.push(state);
      const error = errors[seen.length - 1];
      if (error !== undefined) throw error;
      return `ok from ${state.id}`;
    };
    return { fn, seen };
  };
  return { clock, set, breaker, outlierDetector, failover, events, script };
}

describe('Failover', () => {
  it('returns the first success and records it', async () => {
    const { failover, set, script } = setup();
    const { fn, seen } = script();
    expect(await failover.execute(fn)).toBe(`ok from ${set.all[0]!.id}`);
    expect(seen).toHaveLength(1);
    expect(set.all[0]!).toMatchObject({ requests: 1, inflight: 0, failures: 0 });
    expect(failover.status()).toMatchObject({
      calls: 1,
      succeeded: 1,
      failed: 0,
      failovers: 0,
      lastEndpoint: set.all[0]!.endpoint,
    });
  });

  it('retries an idempotent call on another endpoint after a 503, and says so', async () => {
    const { failover, set, events, script } = setup();
    const { fn, seen } = script(status(503));
    expect(await failover.execute(fn, { idempotent: true })).toBe(`ok from ${set.all[1]!.id}`);
    expect(seen.map((s) => s.id)).toEqual([set.all[0]!.id, set.all[1]!.id]);
    expect(events).toMatchObject([{ from: { id: set.all[0]!.id }, to: { id: set.all[1]!.id }, attempt: 2 }]);
    expect(set.all[0]!.consecutiveFailures).toBe(1);
    expect(failover.status()).toMatchObject({ failovers: 1, succeeded: 1 });
  });

  it('retries a non-idempotent call only when it was never sent', async () => {
    const refused = setup();
    const a = refused.script(withCode('ECONNREFUSED'));
    expect(await refused.failover.execute(a.fn)).toContain('ok');
    expect(a.seen).toHaveLength(2);

    const reset = setup();
    const b = reset.script(withCode('ECONNRESET'));
    const error = await reset.failover.execute(b.fn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).message).toMatch(/not marked idempotent; pass `\{ idempotent: true \}`/);
    expect((error as UpstreamError).cause).toMatchObject({ code: 'ECONNRESET' });
    expect(b.seen).toHaveLength(1);

    const gateway = setup();
    const c = gateway.script(status(503));
    await expect(gateway.failover.execute(c.fn)).rejects.toThrow(UpstreamError);
    expect(c.seen).toHaveLength(1);
  });

  it('never retries a 4xx nor counts it against the endpoint, and passes it through', async () => {
    const { failover, set, breaker, script } = setup(3, {}, {});
    const notFound = status(404);
    const { fn, seen } = script(notFound);
    await expect(failover.execute(fn, { idempotent: true })).rejects.toBe(notFound);
    expect(seen).toHaveLength(1);
    expect(set.all[0]!.consecutiveFailures).toBe(0);
    expect(breaker.tryAcquire(set.all[0]!)).toBe(true);
  });

  it('passes errors it does not know through untouched', async () => {
    const { failover, script } = setup();
    const mine = new SyntaxError('bad json');
    const { fn, seen } = script(mine);
    await expect(failover.execute(fn, { idempotent: true })).rejects.toBe(mine);
    expect(seen).toHaveLength(1);
  });

  it('gives up after the retries with an UpstreamError naming the endpoints, status and cause', async () => {
    const { failover, set, script } = setup();
    const last = status(502);
    const { fn, seen } = script(status(503), status(504), last);
    const error = (await failover
      .execute(fn, { idempotent: true })
      .catch((e: unknown) => e)) as UpstreamError;
    expect(error).toBeInstanceOf(UpstreamError);
    expect(error.status).toBe(502);
    expect(error.cause).toBe(last);
    expect(error.details).toMatchObject({
      attempts: 3,
      service: 'api.default',
      reason: 'attempts-exhausted',
    });
    expect(error.message).toMatch(
      /^A call to api\.default failed after 3 attempts \(10\.0\.0\.1:8080, 10\.0\.0\.2:8080, 10\.0\.0\.3:8080\): HTTP 502\./,
    );
    expect(new Set(seen)).toEqual(new Set(set.all));
    expect(failover.status()).toMatchObject({ failed: 1, failovers: 2 });
  });

  it('retries on the same endpoint when it is the only one', async () => {
    const { failover, script } = setup(1);
    const { fn, seen } = script(status(503));
    expect(await failover.execute(fn, { idempotent: true })).toContain('ok');
    expect(seen[0]).toBe(seen[1]);
  });

  it('honours per-call retries', async () => {
    const { failover, script } = setup();
    const { fn, seen } = script(status(503), status(503));
    await expect(failover.execute(fn, { idempotent: true, retries: 1 })).rejects.toThrow(UpstreamError);
    expect(seen).toHaveLength(2);
  });

  it('names the bare Service in details and the Service with its namespace in messages', async () => {
    const { failover, script } = setup(3, { service: 'api', namespace: 'shop' });
    const error = (await failover
      .execute(script(status(503), status(503), status(503)).fn, { idempotent: true })
      .catch((e: unknown) => e)) as UpstreamError;
    expect(error.details).toMatchObject({ service: 'api', namespace: 'shop', attempts: 3 });
    expect(error.message).toMatch(/^A call to Service "api" in namespace "shop" failed after 3 attempts/);
    const none = (await setup(0, { service: 'api', namespace: 'shop' })
      .failover.execute(script().fn)
      .catch((e: unknown) => e)) as NoHealthyEndpointsError;
    expect(none.details).toEqual({ service: 'api', namespace: 'shop' });
    expect(none.message).toContain('kubectl get endpointslices -n shop -l kubernetes.io/service-name=api');
  });

  it('throws NoHealthyEndpointsError when there is no candidate', async () => {
    const { failover, script } = setup(0);
    const error = await failover.execute(script().fn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NoHealthyEndpointsError);
    expect((error as Error).message).toMatch(/No endpoint of api\.default can take the call.*fallback/);
  });

  it('throws CircuitOpenError when every candidate has its breaker open', async () => {
    const { failover, set, breaker, script } = setup(2, {}, { panicThresholdPercent: 100 });
    for (const state of set.all) for (let i = 0; i < 3; i++) breaker.onFailure(state);
    expect(set.panic).toBe(true);
    const { fn, seen } = script();
    const error = await failover.execute(fn).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect((error as CircuitOpenError).details).toMatchObject({ endpoints: set.all.map((s) => s.id) });
    expect(seen).toHaveLength(0);
  });

  it('sends one probe to a half-open endpoint and the other calls elsewhere', async () => {
    const { clock, failover, set, breaker } = setup(2);
    for (let i = 0; i < 3; i++) breaker.onFailure(set.all[0]!);
    await clock.advance(30_000);
    expect(set.all[0]!.circuit).toBe('half-open');
    const used: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fn = async (state: EndpointState): Promise<void> => {
      used.push(state.id);
      await gate;
    };
    const calls = Array.from({ length: 4 }, () => failover.execute(fn));
    release();
    await Promise.all(calls);
    expect(used.filter((id) => id === set.all[0]!.id)).toHaveLength(1);
    expect(set.all[0]!.circuit).toBe('closed');
  });

  it('stops when the retry budget is spent', async () => {
    const clock = new FakeClock();
    const retryBudget = new RetryBudget({ clock, percent: 0, minRetriesPerSecond: 0 });
    const { failover, script } = setup(3, { retryBudget, clock });
    const first = status(503);
    const { fn, seen } = script(first);
    const error = await failover.execute(fn, { idempotent: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryBudgetExhaustedError);
    expect((error as Error).cause).toBe(first);
    expect(seen).toHaveLength(1);
    expect(failover.status().budgetExhausted).toBe(1);
  });

  it('times out a hung attempt, aborts its signal and retries elsewhere', async () => {
    const { clock, failover, set } = setup(3, { timeoutMs: 1000 });
    const signals: AbortSignal[] = [];
    const fn = (state: EndpointState, signal: AbortSignal): Promise<string> => {
      signals.push(signal);
      return state === set.all[0] ? new Promise<never>(() => {}) : Promise.resolve(state.id);
    };
    const pending = failover.execute(fn, { idempotent: true });
    await clock.advance(1000);
    expect(await pending).toBe(set.all[1]!.id);
    expect(signals[0]!.reason).toBeInstanceOf(CallTimeoutError);
    expect(set.all[0]!).toMatchObject({ failures: 1, inflight: 0 });
  });

  it('waits a full-jitter backoff between attempts', async () => {
    const { clock, failover, script } = setup(3, {
      random: () => 0.5,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
    });
    const { fn, seen } = script(status(503), status(503));
    const pending = failover.execute(fn, { idempotent: true });
    await clock.advance(49);
    expect(seen).toHaveLength(1);
    await clock.advance(1);
    expect(seen).toHaveLength(2);
    await clock.advance(99);
    expect(seen).toHaveLength(2);
    await clock.advance(1);
    expect(await pending).toContain('ok');
  });

  it('stops at once when the caller aborts, without blaming the endpoint', async () => {
    const { failover, set, breaker } = setup();
    const controller = new AbortController();
    const fn = (_state: EndpointState, signal: AbortSignal): Promise<never> =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const pending = failover.execute(fn, { idempotent: true, signal: controller.signal });
    controller.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
    expect(set.all[0]!).toMatchObject({ inflight: 0, requests: 0, failures: 0 });
    expect(breaker.tryAcquire(set.all[0]!)).toBe(true);
  });

  it('stops during the backoff when the caller aborts', async () => {
    const { clock, failover, script } = setup(3, { random: () => 0.5, backoffBaseMs: 100 });
    const controller = new AbortController();
    const { fn, seen } = script(status(503));
    const pending = failover.execute(fn, { idempotent: true, signal: controller.signal });
    await clock.advance(10);
    controller.abort(new Error('gave up'));
    await expect(pending).rejects.toThrow('gave up');
    expect(seen).toHaveLength(1);
    expect(clock.pending).toBe(0);
    expect(failover.status()).toMatchObject({ calls: 1, failed: 1 });
  });

  it('feeds outlier detection: repeated failures eject the endpoint', async () => {
    const { failover, set, outlierDetector } = setup(4, { retries: 0, breaker: undefined });
    const ejected: string[] = [];
    outlierDetector.on('ejected', (e) => ejected.push(e.endpoint.id));
    const bad = set.all[0]!;
    const fn = async (state: EndpointState): Promise<void> => {
      if (state === bad) throw withCode('ECONNREFUSED');
    };
    for (let i = 0; i < 20; i++) await failover.execute(fn).catch(() => {});
    expect(ejected).toEqual([bad.id]);
    expect(bad).toMatchObject({ ejected: true, failures: 5 });
    expect(set.candidates).not.toContain(bad);
  });

  it('passes the key to the balancer', async () => {
    const clock = new FakeClock();
    const set = new EndpointSet();
    set.update(endpoints(5));
    const failover = new Failover({ picker: createPicker(set, new ConsistentHashBalancer()), clock });
    const target = await failover.execute(async (state) => state.id, { key: 'user-7' });
    for (let i = 0; i < 5; i++)
      expect(await failover.execute(async (state) => state.id, { key: 'user-7' })).toBe(target);
  });
});

describe('Failover with hedging', () => {
  /** Attempts on `hung` never answer until aborted; others answer at once. */
  const hangOn = (hung: string) => {
    const seen: string[] = [];
    const fn = (state: EndpointState, signal: AbortSignal): Promise<string> => {
      seen.push(state.id);
      if (state.id !== hung) return Promise.resolve(`ok from ${state.id}`);
      return new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    return { fn, seen };
  };

  it('hedges a slow idempotent attempt after the delay; the first answer wins and the slow endpoint is blamed', async () => {
    const hedge = new HedgePolicy({ initialDelayMs: 100 });
    const { failover, set, clock, events } = setup(3, { hedge });
    const hung = set.all[0]!;
    const { fn, seen } = hangOn(hung.id);
    const call = failover.execute(fn, { idempotent: true });
    await clock.advance(99);
    expect(seen).toEqual([hung.id]);
    await clock.advance(1);
    expect(await call).toBe(`ok from ${set.all[1]!.id}`);
    expect(seen).toEqual([hung.id, set.all[1]!.id]);
    expect(hung).toMatchObject({ inflight: 0, failures: 1, consecutiveFailures: 1 });
    expect(set.all[1]!).toMatchObject({ inflight: 0, failures: 0, requests: 1 });
    expect(failover.status()).toMatchObject({ hedges: 1, failovers: 1, succeeded: 1, failed: 0 });
    expect(events).toMatchObject([
      { from: hung.endpoint, to: set.all[1]!.endpoint, hedge: true, delayMs: 100 },
    ]);
    expect((events[0]!.error as Error).message).toContain('no answer after 100 ms');
    expect(clock.pending).toBe(0);
  });

  it('does not hedge a call that is not idempotent, nor without budget', async () => {
    const hedge = new HedgePolicy({ initialDelayMs: 100 });
    const { failover, set, clock } = setup(3, { hedge, timeoutMs: 1000 });
    const { fn, seen } = hangOn(set.all[0]!.id);
    const call = failover.execute(fn).catch((e: unknown) => e);
    await clock.advance(1000);
    expect(await call).toBeInstanceOf(UpstreamError);
    expect(seen).toHaveLength(1);

    const spent = new HedgePolicy({ initialDelayMs: 100, budgetPercent: 0 }, new FakeClock());
    for (let i = 0; i < 50; i++) spent.tryHedge();
    const broke = setup(3, { hedge: spent, timeoutMs: 1000, retries: 0 });
    const hung = hangOn(broke.set.all[0]!.id);
    const refused = broke.failover.execute(hung.fn, { idempotent: true }).catch((e: unknown) => e);
    await broke.clock.advance(1000);
    expect(await refused).toBeInstanceOf(UpstreamError);
    expect(hung.seen).toHaveLength(1);
    expect(broke.failover.status()).toMatchObject({ hedges: 0, hedgesRefused: 1, budgetExhausted: 0 });
  });

  it('follows the observed latency: hedges after twice the p99 of successful attempts', async () => {
    const hedge = new HedgePolicy({ minSamples: 5, minDelayMs: 1 });
    const { failover, clock } = setup(3, { hedge });
    const slowOk = (state: EndpointState): Promise<string> =>
      new Promise((resolve) => clock.setTimeout(() => resolve(state.id), 10));
    for (let i = 0; i < 5; i++) {
      const call = failover.execute(slowOk, { idempotent: true });
      await clock.advance(10);
      await call;
    }
    expect(hedge.delayMs(10_000)).toBe(20);
    expect(failover.status().hedges).toBe(0);
  });
});
