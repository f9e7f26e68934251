import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakeClock.js';
import { fullJitterBackoff } from '../cluster/backoff.js';
import { RetryBudget } from './retryBudget.js';

describe('fullJitterBackoff', () => {
  it('draws below base x 2^retry, capped', () => {
    expect(fullJitterBackoff(0, 100, 1000, () => 0.999)).toBeCloseTo(99.9);
    expect(fullJitterBackoff(2, 100, 1000, () => 0.5)).toBe(200);
    expect(fullJitterBackoff(10, 100, 1000, () => 0.5)).toBe(500);
    expect(fullJitterBackoff(3, 100, 1000, () => 0)).toBe(0);
  });
});

describe('RetryBudget', () => {
  it('allows the minimum per second, plus a share of requests', () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ clock, percent: 20, minRetriesPerSecond: 1, windowMs: 1000 });
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    for (let i = 0; i < 10; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    expect(budget.status()).toEqual({ requests: 10, retries: 3, available: 0 });
  });

  it('forgets requests and retries that leave the sliding window', async () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ clock, percent: 50, minRetriesPerSecond: 0, windowMs: 1000 });
    for (let i = 0; i < 4; i++) budget.recordRequest();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    await clock.advance(500);
    budget.recordRequest();
    budget.recordRequest();
    expect(budget.status()).toMatchObject({ requests: 6, retries: 2, available: 1 });
    await clock.advance(600);
    expect(budget.status()).toEqual({ requests: 2, retries: 0, available: 1 });
    await clock.advance(60_000);
    expect(budget.status()).toEqual({ requests: 0, retries: 0, available: 0 });
  });

  it('rejects bad options', () => {
    expect(() => new RetryBudget({ percent: -1 })).toThrow(/percent/);
  });
});
