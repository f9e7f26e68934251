/**
 * One hub replica in its own process, so the benchmarks measure its memory alone. Configured by the
 * environment (as src/main.ts); prints `listening <url>` once ready and answers stdin lines:
 * `mem` -> {rss, heapUsed} after a GC, `memraw` the same without one, `stats` -> {sessions, inFlight}.
 */
import { createInterface } from 'node:readline';
import { loadKubeConfig } from '@kubesmart/core';
import { loadConfig } from '../src/config.js';
import { buildHub } from '../src/server.js';

const config = loadConfig(process.env);
const hub = await buildHub({
  config,
  kubeConfig: loadKubeConfig({ path: process.env.KUBECONFIG! }),
  logger: false,
});
const url = await hub.listen();
process.stdout.write(`listening ${url}\n`);
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'mem' || line === 'memraw') {
    if (line === 'mem' && global.gc) global.gc();
    const { rss, heapUsed } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rss, heapUsed })}\n`);
  } else if (line === 'stats') {
    const sessions = hub.registry.all();
    process.stdout.write(
      `${JSON.stringify({ sessions: sessions.length, inFlight: sessions.reduce((n, s) => n + s.inFlight, 0) })}\n`,
    );
  }
});
process.once('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
