import { describe, expect, it } from 'vitest';
import { formatThroughputTable, type ThroughputRow } from './throughput.js';

describe('throughput report', () => {
  it('prints medians, every round and both paired ratios', () => {
    const rows: ThroughputRow[] = [
      {
        name: 'bare',
        baseline: undefined,
        rounds: [1000, 2000],
        requestsPerSecond: 1500,
        p99Ms: 3,
        errors: 0,
        requestsPerCpuSecond: 1400,
        ratio: undefined,
        cpuRatio: undefined,
      },
      {
        name: 'adapter',
        baseline: 'bare',
        rounds: [990, 1960],
        requestsPerSecond: 1475,
        p99Ms: 3,
        errors: 0,
        requestsPerCpuSecond: 1380,
        ratio: 0.985,
        cpuRatio: 0.98,
      },
    ];
    const table = formatThroughputTable(rows);
    expect(table).toContain('| bare | 1,500 | 1,000, 2,000 | 3 ms | 0 | 1,400 | baseline | baseline |');
    expect(table).toContain(
      '| adapter | 1,475 | 990, 1,960 | 3 ms | 0 | 1,380 | 0.985x bare | 0.980x bare |',
    );
  });
});
