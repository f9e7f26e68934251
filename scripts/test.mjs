// `pnpm test`: every package's tests through turbo (two at a time, going on past a failing package),
// then one closing line for the whole workspace: the tests passed and failed, summed from each
// package's vitest summary, and the time taken.
import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';

const started = performance.now();
const child = spawn(
  'pnpm',
  ['exec', 'turbo', 'run', 'test', '--concurrency=2', '--continue', ...process.argv.slice(2)],
  {
    stdio: ['inherit', 'pipe', 'pipe'],
  },
);
const totals = { passed: 0, failed: 0 };
let pending = '';

/** Counts a vitest summary line (`pkg:test:   Tests  2 failed | 40 passed (42)`). */
function count(line) {
  const plain = stripVTControlCharacters(line);
  if (!/:test: +Tests +/.test(plain)) return;
  for (const [, n, what] of plain.matchAll(/(\d+) (passed|failed)/g)) totals[what] += Number(n);
}

child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const lines = (pending + chunk.toString()).split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) count(line);
});
child.stderr.on('data', (chunk) => process.stderr.write(chunk));

function duration(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

child.on('close', (code, signal) => {
  count(pending);
  process.stdout.write(
    `tests: ${totals.passed} passed, ${totals.failed} failed, in ${duration(performance.now() - started)}\n`,
  );
  process.exitCode = code ?? (signal ? 1 : 0);
});
