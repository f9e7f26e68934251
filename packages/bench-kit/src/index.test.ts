import { describe, expect, it } from 'vitest';
import { formatTable, quantile, statsOf } from './index.js';

describe('bench statistics', () => {
  it('takes quantiles by rank', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(quantile(sorted, 0.5)).toBe(50);
    expect(quantile(sorted, 0.99)).toBe(99);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('derives ops/s from the median', () => {
    expect(statsOf([1000, 1000, 3000])).toEqual({ medianNs: 1000, p99Ns: 3000, opsPerSecond: 1_000_000 });
  });

  it('prints the ratio against the named baseline', () => {
    const table = formatTable([
      { name: 'floor', samplesNs: [10] },
      { name: 'case', samplesNs: [25], baseline: 'floor' },
    ]);
    expect(table).toContain('| case | 25.0 ns | 25.0 ns | 40,000,000 | 2.50x floor |');
  });
});
