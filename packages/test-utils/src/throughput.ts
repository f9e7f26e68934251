import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import autocannon from 'autocannon';

/** A server under load: its URL (a trivial route) and how to stop it. */
export interface ThroughputTarget {
  url: string;
  close(): Promise<void>;
}

/** One measured setup, for example the bare framework or the framework with an adapter installed. */
export interface ThroughputCase {
  name: string;
  /** Name of the case this one is compared with. */
  baseline?: string;
  start(): Promise<ThroughputTarget>;
}

export interface ThroughputOptions {
  /** Measured seconds per case and round. @default 5 */
  durationSeconds?: number;
  /** Unmeasured seconds of load before the first round. @default 2 */
  warmupSeconds?: number;
  /** Concurrent keep-alive connections. @default 32 */
  connections?: number;
  /**
   * Rounds; cases take turns in each, in reverse order every other round, so drift and load from
   * elsewhere on the machine hit every case alike. @default 5
   */
  rounds?: number;
}

export interface ThroughputRow {
  name: string;
  baseline: string | undefined;
  /** Requests per second of each round. */
  rounds: number[];
  /** Median requests per second over the rounds. */
  requestsPerSecond: number;
  /** Median p99 latency over the rounds, in ms. */
  p99Ms: number;
  /**
   * Median over the rounds of requests per second of this process's CPU time (client and server
   * together): what the case costs, less sensitive than wall-clock requests/s to other work on the machine.
   */
  requestsPerCpuSecond: number;
  /** Errors, timeouts and non-2xx responses over every round. */
  errors: number;
  /**
   * Median over the rounds of this case's requests/s divided by its baseline's in the same round;
   * undefined without a baseline. Pairing by round cancels most of the noise of a busy machine.
   */
  ratio: number | undefined;
  /** The same paired median, of requests per CPU second. */
  cpuRatio: number | undefined;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function load(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, duration: seconds, pipelining: 1 });
}

/**
 * Measures requests/s of every case with autocannon in one run: servers start once, then each round
 * loads every case in turn. Ratios between cases of the same run are what to compare; absolute
 * numbers depend on the machine.
 */
export async function measureThroughput(
  cases: readonly ThroughputCase[],
  options: ThroughputOptions = {},
): Promise<ThroughputRow[]> {
  const duration = options.durationSeconds ?? 5;
  const connections = options.connections ?? 32;
  const rounds = options.rounds ?? 5;
  const targets: ThroughputTarget[] = [];
  try {
    for (const c of cases) targets.push(await c.start());
    for (const target of targets) await load(target.url, options.warmupSeconds ?? 2, connections);
    const samples = cases.map(() => ({
      rps: [] as number[],
      rpcs: [] as number[],
      p99: [] as number[],
      errors: 0,
    }));
    for (let round = 0; round < rounds; round += 1) {
      const order = [...targets.keys()];
      if (round % 2 === 1) order.reverse();
      for (const i of order) {
        const cpuBefore = process.cpuUsage();
        const result = await load(targets[i]!.url, duration, connections);
        const cpu = process.cpuUsage(cpuBefore);
        const sample = samples[i]!;
        sample.rps.push(result.requests.average);
        sample.rpcs.push(result.requests.total / ((cpu.user + cpu.system) / 1e6));
        sample.p99.push(result.latency.p99);
        sample.errors += result.errors + result.timeouts + result.non2xx;
      }
    }
    return cases.map((c, i) => {
      const base = samples[cases.findIndex((other) => other.name === c.baseline)];
      return {
        name: c.name,
        baseline: c.baseline,
        rounds: samples[i]!.rps,
        requestsPerSecond: median(samples[i]!.rps),
        p99Ms: median(samples[i]!.p99),
        errors: samples[i]!.errors,
        requestsPerCpuSecond: median(samples[i]!.rpcs),
        ratio: base ? median(samples[i]!.rps.map((rps, round) => rps / base.rps[round]!)) : undefined,
        cpuRatio: base ? median(samples[i]!.rpcs.map((rpcs, round) => rpcs / base.rpcs[round]!)) : undefined,
      };
    });
  } finally {
    for (const target of targets) await target.close();
  }
}

/** A Markdown table: median requests/s, the rounds, p99 latency, errors and the paired ratio to the baseline. */
export function formatThroughputTable(rows: readonly ThroughputRow[]): string {
  const lines = [
    '| case | requests/s (median) | each round | p99 latency | errors | requests per CPU second | ratio vs baseline: requests/s | ratio vs baseline: per CPU second |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
  ];
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  const vs = (ratio: number | undefined, baseline: string | undefined): string =>
    ratio === undefined ? 'baseline' : `${ratio.toFixed(3)}x ${baseline}`;
  for (const row of rows) {
    lines.push(
      `| ${row.name} | ${fmt(row.requestsPerSecond)} | ${row.rounds.map(fmt).join(', ')} | ${row.p99Ms} ms | ${row.errors} | ${fmt(row.requestsPerCpuSecond)} | ${vs(row.ratio, row.baseline)} | ${vs(row.cpuRatio, row.baseline)} |`,
    );
  }
  return lines.join('\n');
}

/** Prints the report and writes it, with the machine and settings it ran with, to `path`. */
export function writeThroughputReport(
  path: string,
  title: string,
  text: string,
  rows: readonly ThroughputRow[],
  options: ThroughputOptions = {},
): string {
  const settings = `${options.connections ?? 32} connections, ${options.rounds ?? 5} rounds of ${options.durationSeconds ?? 5} s per case after ${options.warmupSeconds ?? 2} s of warm-up`;
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
  const machine = `Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} CPUs, load average ${load} at the end`;
  const report = `# ${title}\n\n${machine}; autocannon in the same process against 127.0.0.1, ${settings}; measured ${new Date().toISOString()}.\n\n${text}\n\n${formatThroughputTable(rows)}\n`;
  writeFileSync(path, report);
  process.stdout.write(`${report}\nwritten to ${path}\n`);
  return report;
}
