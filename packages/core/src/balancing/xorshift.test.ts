import { describe, expect, it } from 'vitest';
import { Xorshift32 } from './xorshift.js';

describe('Xorshift32', () => {
  it('is repeatable for a starting value and stays in range', () => {
    const a = new Xorshift32(() => 0.25);
    const b = new Xorshift32(() => 0.25);
    const drawsA = Array.from({ length: 100 }, () => a.below(7));
    expect(Array.from({ length: 100 }, () => b.below(7))).toEqual(drawsA);
    expect(drawsA.every((x) => Number.isInteger(x) && x >= 0 && x < 7)).toBe(true);
    expect(new Xorshift32(() => 0).below(1)).toBe(0);
  });

  it('draws uniformly enough to balance', () => {
    const rng = new Xorshift32(() => 0.123);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 100_000; i++) counts[rng.below(10)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });
});
