/**
 * Proxy GET requests/s: kv-proxy (reads from the shared watch cache) versus a proxy that calls the
 * API server on every request (the k8skv seed's design), both over the emulated API server (TLS,
 * token) on loopback. Prints a table and writes bench/results.md.
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { keyEntry } from '@kubesmart/access';
import { createMockCluster } from '@kubesmart/mock';
import { loadConfig } from '../src/config.js';
import { buildProxy } from '../src/server.js';
import { type LoadResult, load } from './load.js';
import { startSeedStyleProxy } from './seedStyleProxy.js';

const CONNECTIONS = 16;
const SECONDS = 5;
const KEY = 'ksh_be0c0000be0c0000_benchkeybenchkeybenchkeybenchkeybenchkey12';

const cluster = await createMockCluster();
await cluster.apply([
  {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'somekey', namespace: 'default' },
    data: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, `value${i}`])),
  },
  {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'kv-proxy-api-keys', namespace: 'default' },
    stringData: keyEntry(KEY, 'bench'),
  },
]);

const rows: { name: string; result: LoadResult }[] = [];
for (const authMode of ['none', 'apikey'] as const) {
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    AUTH_MODE: authMode,
    RATE_LIMIT_RPS: '1000000',
    RATE_LIMIT_BURST: '1000000',
  });
  const proxy = await buildProxy({ config, kubeConfig: cluster.kubeConfig, logger: false });
  const url = await proxy.app.listen({ host: '127.0.0.1', port: 0 });
  const headers: Record<string, string> = authMode === 'apikey' ? { authorization: `Bearer ${KEY}` } : {};
  await load(`${url}/kv/default/somekey`, 4, 1, headers);
  rows.push({
    name: `kv-proxy GET /kv/default/somekey (AUTH_MODE=${authMode})`,
    result: await load(`${url}/kv/default/somekey`, CONNECTIONS, SECONDS, headers),
  });
  await proxy.close();
}
const seed = await startSeedStyleProxy(cluster.kubeConfig);
await load(`${seed.url}/kv/default/somekey`, 4, 1);
rows.unshift({
  name: 'seed design: API server read per GET (no auth)',
  result: await load(`${seed.url}/kv/default/somekey`, CONNECTIONS, SECONDS),
});
await seed.close();
await cluster.close();

const baseline = rows[0]!.result.perSecond;
const lines = [
  '# kv-proxy benchmarks',
  '',
  `Node ${process.version}, ${process.platform}/${process.arch}, ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} CPUs), measured ${new Date().toISOString()}.`,
  '',
  `GET of a 20-key bucket, ${CONNECTIONS} keep-alive connections for ${SECONDS} s each, on loopback. The emulated API server ` +
    '(TLS, bearer token), the proxies and the load generator share one process, so absolute numbers are low; the ratio is the point.',
  '',
  '| case | requests/s | p50 ms | p99 ms | requests | errors | ratio |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map(
    ({ name, result: r }) =>
      `| ${name} | ${Math.round(r.perSecond).toLocaleString('en-US')} | ${r.p50Ms.toFixed(2)} | ${r.p99Ms.toFixed(2)} | ${r.requests} | ${r.errors} | ${r === rows[0]!.result ? 'baseline' : `${(r.perSecond / baseline).toFixed(1)}x`} |`,
  ),
  '',
];
const text = lines.join('\n');
writeFileSync(new URL('./results.md', import.meta.url), text);
process.stdout.write(`${text}\nwritten to bench/results.md\n`);
