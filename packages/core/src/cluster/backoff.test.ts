import { describe, expect, it } from 'vitest';
import type { Clock } from '../types.js';
import { Backoff, exponentialDelay, fullJitterBackoff } from './backoff.js';

function fakeClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    setTimeout: () => undefined,
    clearTimeout: () => {},
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('Backoff', () => {
  it('doubles up to the cap, with half of each delay jittered', () => {
    const backoff = new Backoff({
      initialMs: 100,
      maxMs: 1000,
      resetAfterMs: 5000,
      clock: fakeClock(),
      random: () => 1,
    });
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
    const low = new Backoff({
      initialMs: 100,
      maxMs: 1000,
      resetAfterMs: 5000,
      clock: fakeClock(),
      random: () => 0,
    });
    expect(low.next()).toBe(50);
  });

  it('waits at least what the server asked', () => {
    const backoff = new Backoff({
      initialMs: 100,
      maxMs: 1000,
      resetAfterMs: 5000,
      clock: fakeClock(),
      random: () => 0,
    });
    expect(backoff.next(1000)).toBe(1000);
  });

  it('starts over after a healthy period, not after a short one', () => {
    const clock = fakeClock();
    const backoff = new Backoff({
      initialMs: 100,
      maxMs: 10_000,
      resetAfterMs: 5000,
      clock,
      random: () => 1,
    });
    backoff.next();
    backoff.next();
    backoff.healthy();
    clock.advance(100);
    expect(backoff.next()).toBe(400);
    backoff.healthy();
    clock.advance(5000);
    expect(backoff.next()).toBe(100);
  });
});

describe('exponentialDelay and fullJitterBackoff', () => {
  it('doubles from the base up to the ceiling', () => {
    expect([0, 1, 2, 3, 4].map((attempt) => exponentialDelay(attempt, 25, 250))).toEqual([
      25, 50, 100, 200, 250,
    ]);
    expect(exponentialDelay(3, 200)).toBe(1600);
    expect(exponentialDelay(-1, 200)).toBe(200);
  });

  it('draws full jitter below the exponential ceiling', () => {
    expect(fullJitterBackoff(2, 25, 250, () => 0.5)).toBe(50);
    expect(fullJitterBackoff(10, 25, 250, () => 0.999)).toBeLessThan(250);
    expect(fullJitterBackoff(0, 25, 250, () => 0)).toBe(0);
  });
});
