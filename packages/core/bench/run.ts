/**
 * Runs every bench of @kubesmart/core in turn, prints the report and writes `bench/results.md`.
 * To add a bench, write `bench/<name>.bench.ts` exporting a function that returns a `Section`, and
 * list it below.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { apiRequestsBench } from './apiRequests.bench.js';
import { failoverBench } from './failover.bench.js';
import { report, type Section } from './harness.js';
import { kvBench } from './kv.bench.js';
import { pickBench } from './pick.bench.js';
import { propagationBench } from './propagation.bench.js';
import { queryBench } from './query.bench.js';
import { scaleBench } from './scale.bench.js';
import { tailLatencyBench } from './tailLatency.bench.js';

const benches: (() => Promise<Section>)[] = [
  pickBench,
  queryBench,
  kvBench,
  apiRequestsBench,
  propagationBench,
  failoverBench,
  tailLatencyBench,
  scaleBench,
];

const sections: Section[] = [];
for (const bench of benches) sections.push(await bench());

const machine = `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), measured ${new Date().toISOString()}.`;
const text = report('@kubesmart/core benchmarks', machine, sections);
const path = new URL('./results.md', import.meta.url);
writeFileSync(path, text);
process.stdout.write(`${text}\nwritten to ${path.pathname}\n`);
