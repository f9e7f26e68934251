import { writeFileSync } from 'node:fs';

/** One row of a benchmark table: a measured case and, when it has one, the baseline it is compared with. */
export interface BenchRow {
  name: string;
  /** Per-operation samples in nanoseconds. */
  samplesNs: number[];
  /** Name of the row this one is compared with (the floor or the stated baseline). */
  baseline?: string;
  /** Free text shown in the last column (objects transferred, requests, ...). */
  note?: string;
}

export interface BenchStats {
  medianNs: number;
  p99Ns: number;
  opsPerSecond: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function statsOf(samplesNs: readonly number[]): BenchStats {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const medianNs = quantile(sorted, 0.5);
  return {
    medianNs,
    p99Ns: quantile(sorted, 0.99),
    opsPerSecond: medianNs > 0 ? 1e9 / medianNs : Number.POSITIVE_INFINITY,
  };
}

/** Runs `fn` `iterations` times per sample, `samples` times, and returns ns per call for each sample. */
export function sampleSync(
  fn: () => unknown,
  options: { samples?: number; iterations?: number } = {},
): number[] {
  const samples = options.samples ?? 50;
  const iterations = options.iterations ?? 10_000;
  for (let i = 0; i < iterations; i += 1) fn();
  const out: number[] = [];
  for (let s = 0; s < samples; s += 1) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i += 1) fn();
    out.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return out;
}

/** Times each of `count` sequential runs of an async operation, in nanoseconds. */
export async function sampleAsync(
  fn: (i: number) => Promise<unknown>,
  count: number,
  warmup = 5,
): Promise<number[]> {
  for (let i = 0; i < warmup; i += 1) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - start));
  }
  return out;
}

export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return '-';
  if (ns < 1_000) return `${ns.toFixed(1)} ns`;
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`;
  if (ns < 1_000_000_000) return `${(ns / 1_000_000).toFixed(2)} ms`;
  return `${(ns / 1_000_000_000).toFixed(2)} s`;
}

function formatOps(ops: number): string {
  if (!Number.isFinite(ops)) return '-';
  return ops >= 1000 ? Math.round(ops).toLocaleString('en-US') : ops.toFixed(1);
}

/** A Markdown table: median, p99, ops/s and the ratio of the median against the row's baseline. */
export function formatTable(rows: readonly BenchRow[]): string {
  const stats = new Map(rows.map((row) => [row.name, statsOf(row.samplesNs)]));
  const lines = [
    '| case | median | p99 | ops/s | ratio vs baseline | note |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const s = stats.get(row.name)!;
    const base = row.baseline ? stats.get(row.baseline) : undefined;
    const ratio = base ? `${(s.medianNs / base.medianNs).toFixed(2)}x ${row.baseline}` : 'baseline';
    lines.push(
      `| ${row.name} | ${formatDuration(s.medianNs)} | ${formatDuration(s.p99Ns)} | ${formatOps(s.opsPerSecond)} | ${ratio} | ${row.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** Prints the report and writes it, with the machine it ran on, to `path`. */
export function writeReport(
  path: string,
  title: string,
  sections: { heading: string; rows: BenchRow[]; text?: string }[],
): string {
  const body = sections
    .map((s) => [`## ${s.heading}`, '', ...(s.text ? [s.text, ''] : []), formatTable(s.rows)].join('\n'))
    .join('\n\n');
  const report = `# ${title}\n\nNode ${process.version}, ${process.platform}/${process.arch}, measured ${new Date().toISOString()}.\n\n${body}\n`;
  writeFileSync(path, report);
  process.stdout.write(`${report}\nwritten to ${path}\n`);
  return report;
}
