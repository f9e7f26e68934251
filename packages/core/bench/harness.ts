/**
 * A tiny harness shared by the benches in this folder: timed batches, summary statistics and a
 * Markdown table. Benches are not tests: they print and write results, they assert nothing.
 */
import { GCProfiler, getHeapStatistics } from 'node:v8';

export interface Measurement {
  /** Nanoseconds per operation, one value per timed batch. */
  readonly samplesNs: readonly number[];
  /** Garbage collections during the timed batches. */
  readonly gcs: number;
  /** Heap bytes allocated per operation, exact when no GC ran (`undefined` otherwise). */
  readonly bytesPerOp: number | undefined;
}

export interface Row {
  readonly name: string;
  readonly measurement: Measurement;
  /** Name of the row this one is compared with; rows without one are baselines. */
  readonly baseline?: string;
  readonly note?: string;
  /**
   * Throughput achieved, shown in place of the 1/median ops/s; for load runs whose samples are
   * latencies of concurrent operations, where 1/median is not a rate anything ran at.
   */
  readonly opsPerSecond?: number;
}

/** One block of results: a heading, an optional explanation and a table. */
export interface Section {
  readonly heading: string;
  readonly text?: string;
  readonly rows: readonly Row[];
  /** Lines checked against the goals, shown under the table. */
  readonly verdicts?: readonly string[];
  /** Which statistic the ratio column compares. @default 'median' */
  readonly ratioOf?: 'median' | 'p99';
}

/** Keeps results alive so the optimiser cannot drop the measured calls. */
export let blackhole: unknown;

/** Times `samples` batches of `iterations` calls of `fn` after a warm-up; counts GCs and allocation. */
export function measure(fn: () => unknown, samples = 200, iterations = 20_000): Measurement {
  for (let i = 0; i < iterations * 5; i++) blackhole = fn();
  const samplesNs: number[] = new Array(samples).fill(0);
  const profiler = new GCProfiler();
  const heapBefore = getHeapStatistics().used_heap_size;
  profiler.start();
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) blackhole = fn();
    samplesNs[s] = Number(process.hrtime.bigint() - start) / iterations;
  }
  const gcs = profiler.stop()?.statistics.length ?? 0;
  const grown = getHeapStatistics().used_heap_size - heapBefore;
  return { samplesNs, gcs, bytesPerOp: gcs === 0 ? Math.max(0, grown) / (samples * iterations) : undefined };
}

export interface Stats {
  readonly medianNs: number;
  readonly p99Ns: number;
  readonly opsPerSecond: number;
}

export function stats(samplesNs: readonly number[]): Stats {
  const sorted = [...samplesNs].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const medianNs = at(0.5);
  return { medianNs, p99Ns: at(0.99), opsPerSecond: 1e9 / medianNs };
}

const ns = (value: number): string => (value < 100 ? value.toFixed(1) : Math.round(value).toString());

/**
 * A Markdown table: median and p99 ns/op, ops/s, ratio to the baseline (of medians, or of p99s with
 * `ratioOf: 'p99'`), GCs, bytes/op.
 */
export function table(rows: readonly Row[], ratioOf: 'median' | 'p99' = 'median'): string {
  const byName = new Map(rows.map((row) => [row.name, stats(row.measurement.samplesNs)]));
  const lines = [
    `| case | median ns/op | p99 ns/op | ops/s | ${ratioOf === 'p99' ? 'ratio (p99)' : 'ratio'} | GCs | bytes/op | note |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  const compared = (s: Stats): number => (ratioOf === 'p99' ? s.p99Ns : s.medianNs);
  for (const row of rows) {
    const s = byName.get(row.name)!;
    const base = row.baseline === undefined ? undefined : byName.get(row.baseline);
    const ratio = base === undefined ? 'baseline' : `${(compared(s) / compared(base)).toFixed(2)}x`;
    const ops = Math.round(row.opsPerSecond ?? s.opsPerSecond).toLocaleString('en-US');
    const bytes = row.measurement.bytesPerOp;
    const allocated = bytes === undefined ? '-' : bytes.toFixed(2);
    lines.push(
      `| ${row.name} | ${ns(s.medianNs)} | ${ns(s.p99Ns)} | ${ops} | ${ratio} | ${row.measurement.gcs} | ${allocated} | ${row.note ?? ''} |`,
    );
  }
  return lines.join('\n');
}

/** One section as Markdown: heading, text, table and verdicts. */
export function sectionText(section: Section): string {
  return [
    `## ${section.heading}`,
    ...(section.text === undefined ? [] : ['', section.text]),
    '',
    table(section.rows, section.ratioOf),
    ...(section.verdicts === undefined ? [] : ['', ...section.verdicts.map((v) => `- ${v}`)]),
  ].join('\n');
}

/** Renders sections as Markdown, under a header naming the machine. */
export function report(title: string, machine: string, sections: readonly Section[]): string {
  return [`# ${title}`, '', machine, '', sections.map(sectionText).join('\n\n'), ''].join('\n');
}

/** Latency samples (ns), one per operation, as a measurement (no GC or allocation figures). */
export function latencies(samplesNs: readonly number[]): Measurement {
  return { samplesNs, gcs: 0, bytesPerOp: undefined };
}

/**
 * Times each of `count` calls of `fn` on its own, one after the other, awaiting those that return a
 * promise (a synchronous call is not deferred by an `await`); ns per call.
 */
export async function timeEach(count: number, fn: (i: number) => unknown): Promise<number[]> {
  const samplesNs: number[] = new Array(count).fill(0);
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    const result = fn(i);
    if (result instanceof Promise) await result;
    else blackhole = result;
    samplesNs[i] = Number(process.hrtime.bigint() - start);
  }
  return samplesNs;
}
