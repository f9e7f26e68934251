/**
 * Runs every bench of @kubesmart/core in turn, prints the report and writes `bench/results.md`.
 * To add a bench, write `bench/<name>.bench.ts` exporting a function that returns a `Section` (or
 * several), and list it below. `pnpm bench -- callerFaults pick` runs only the benches named and
 * replaces their sections in the results file, each marked with when and where it was measured.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { apiRequestsBench } from './apiRequests.bench.js';
import { callerFaultsBench } from './callerFaults.bench.js';
import { failoverBench } from './failover.bench.js';
import { report, type Section, sectionText } from './harness.js';
import { kvBench } from './kv.bench.js';
import { pickBench } from './pick.bench.js';
import { propagationBench } from './propagation.bench.js';
import { queryBench } from './query.bench.js';
import { scaleBench } from './scale.bench.js';
import { tailLatencyBench } from './tailLatency.bench.js';

const benches: Record<string, () => Promise<Section | Section[]>> = {
  pick: pickBench,
  query: queryBench,
  kv: kvBench,
  apiRequests: apiRequestsBench,
  propagation: propagationBench,
  failover: failoverBench,
  tailLatency: tailLatencyBench,
  scale: scaleBench,
  callerFaults: callerFaultsBench,
};

const wanted = process.argv.slice(2).filter((arg) => arg !== '--');
const unknown = wanted.filter((name) => !(name in benches));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown bench ${unknown.join(', ')}; the benches are ${Object.keys(benches).join(', ')}\n`,
  );
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : Object.keys(benches);
const sections: Section[] = [];
for (const name of names) sections.push(...[await benches[name]!()].flat());

const machine = `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), measured ${new Date().toISOString()}.`;
const path = new URL('./results.md', import.meta.url);
let text: string;
if (wanted.length === 0 || !existsSync(path)) {
  text = report('@kubesmart/core benchmarks', machine, sections);
} else {
  // Replace the sections measured now (by heading), keeping the others as they were.
  text = readFileSync(path, 'utf8');
  for (const section of sections) {
    const fresh = sectionText({ ...section, text: `${section.text ?? ''} (${machine})`.trim() });
    const start = text.indexOf(`## ${section.heading}\n`);
    if (start === -1) {
      text = `${text.trimEnd()}\n\n${fresh}\n`;
      continue;
    }
    const next = text.indexOf('\n## ', start + 3);
    text = `${text.slice(0, start)}${fresh}${next === -1 ? '\n' : `\n${text.slice(next)}`}`;
  }
}
writeFileSync(path, text);
process.stdout.write(`${text}\nwritten to ${path.pathname}\n`);
