import { describe, expect, it } from 'vitest';
import { bucketOf, upperBoundOf } from './latencyHistogram.js';
import { MetricsRecorder } from './metricsRecorder.js';
import { WindowedStats } from './windowedStats.js';

describe('latency histogram', () => {
  it('reports a value within 5 % above it, at any scale', () => {
    for (const ms of [0.05, 0.8, 3, 42, 999, 25_000]) {
      const bound = upperBoundOf(bucketOf(ms));
      expect(bound).toBeGreaterThanOrEqual(ms);
      expect(bound).toBeLessThanOrEqual(ms * 1.051);
    }
  });
});

describe('WindowedStats', () => {
  it('gives rate, error rate and p50/p99 over the last seconds, and forgets older ones', () => {
    const stats = new WindowedStats(5);
    // 100 requests a second for 5 s: 99 at ~1 ms and 1 at ~100 ms each second; 2 errors a second.
    for (let second = 0; second < 5; second++) {
      for (let i = 0; i < 100; i++) stats.record(i === 0 ? 100 : 1, i > 1, second * 1000 + i * 10);
    }
    const now = stats.snapshot(4999);
    expect(now.rate).toBeCloseTo(100, 0);
    expect(now.errorRate).toBeCloseTo(2, 0);
    expect(now.p50Ms).toBeGreaterThanOrEqual(1);
    expect(now.p50Ms).toBeLessThan(1.06);
    expect(now.p99Ms).toBeLessThan(1.06);
    expect(now.requests).toBe(500);
    const later = stats.snapshot(20_000);
    expect(later.rate).toBe(0);
    expect(later.p50Ms).toBeUndefined();
    expect(later.requests).toBe(500);
  });
});

describe('MetricsRecorder', () => {
  it('keeps per-route and per-pod numbers, retries and status classes; reset forgets a route', () => {
    let now = 0;
    const m = new MetricsRecorder({ now: () => now });
    m.record({ route: 'cart', pod: 'a', status: 200, latencyMs: 2, attempts: 1, failed: false });
    m.record({ route: 'cart', pod: 'b', status: 200, latencyMs: 4, attempts: 2, failed: false });
    m.record({ route: 'cart', pod: undefined, status: 503, latencyMs: 9, attempts: 3, failed: true });
    m.record({ route: 'cart', pod: 'a', status: 404, latencyMs: 1, attempts: 1, failed: false });
    now = 500;
    const cart = m.snapshot('cart');
    expect(cart).toMatchObject({ requests: 4, errors: 1, retried: 2, retries: 3 });
    expect(cart.statuses).toEqual({ '2xx': 2, '3xx': 0, '4xx': 1, '5xx': 1 });
    expect(Object.keys(cart.pods).sort()).toEqual(['a', 'b']);
    expect(cart.pods.a!.requests).toBe(2);
    m.reset('cart');
    expect(m.snapshot('cart').requests).toBe(0);
  });
});
