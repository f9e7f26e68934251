import type { ClientRequest } from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { type BenchRow, sampleAsync, sampleSync, writeReport } from '@kubesmart/bench-kit';
import { createMockCluster } from '../src/index.js';
import { resourceByPath } from '../src/store/resources.js';

/**
 * Emulator benchmarks. In process: store writes and a 10,000-object list against a `Map.set` floor.
 * Over HTTPS: each request kind against a `GET /version` round trip on the same keep-alive connection,
 * so the ratio is what the emulator adds to the transport; plus client-node's typed API, which opens a
 * new TLS connection for every request. Watch: fan-out of one write to 100 watchers against 1 watcher.
 */

const LIST_SIZE = 10_000;
const WRITES = 500;
const WATCHERS = 100;
const FANOUT_WRITES = 200;
/** A fan-out write not seen by every watcher within this time fails the run instead of hanging it. */
const FANOUT_TIMEOUT_MS = 10_000;

const loadAtStart = os.loadavg()[0] ?? 0;
const cluster = await createMockCluster({ compactionWindow: 50_000 });
const configmaps = resourceByPath('v1', 'configmaps')!;
const token = cluster.access.users().find((u) => u.name === 'admin')!.token;
const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: cluster.caCertPem });

/** One request on the shared keep-alive connection; rejects unless the answer has status `expected`. */
function call(
  method: string,
  path: string,
  expected: number,
  body?: unknown,
  contentType = 'application/json',
) {
  return new Promise<string>((resolve, reject) => {
    const req = https.request(
      new URL(path, cluster.url),
      { method, agent, headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === expected) resolve(text);
          else
            reject(
              new Error(
                `${method} ${path}: expected ${expected}, got ${res.statusCode}: ${text.slice(0, 200)}`,
              ),
            );
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const configMap = (name: string, namespace: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace, ...extra },
  data: { a: '1' },
});

// --- in process -------------------------------------------------------------------------------------

const floor = new Map<string, unknown>();
let n = 0;
const inProcess: BenchRow[] = [
  {
    name: 'Map.set (floor)',
    samplesNs: sampleSync(() => {
      n += 1;
      floor.set(`k${n % 1000}`, { n });
    }),
  },
];

await call('POST', '/api/v1/namespaces', 201, { metadata: { name: 'bench' } });
for (let i = 0; i < LIST_SIZE; i += 1) {
  const name = `cm-${String(i).padStart(5, '0')}`;
  cluster.store.create(configmaps, configMap(name, 'bench', { labels: { shard: String(i % 10) } }));
}
let created = 0;
inProcess.push({
  name: 'store.create',
  baseline: 'Map.set (floor)',
  samplesNs: sampleSync(
    () => {
      created += 1;
      cluster.store.create(configmaps, configMap(`inproc-${created}`, 'default'));
    },
    {
      samples: 20,
      iterations: 200,
    },
  ),
});
inProcess.push({
  name: `list ${LIST_SIZE} ConfigMaps`,
  baseline: 'Map.set (floor)',
  samplesNs: sampleSync(() => cluster.list('configmaps', 'bench'), { samples: 20, iterations: 2 }),
  note: 'cluster.list: the list the API server serves, before JSON',
});

// --- over HTTPS -------------------------------------------------------------------------------------

const ROUND_TRIP = 'GET /version (round-trip floor)';
const overHttps: BenchRow[] = [
  { name: ROUND_TRIP, samplesNs: await sampleAsync(() => call('GET', '/version', 200), WRITES) },
];
overHttps.push({
  name: 'get one ConfigMap',
  baseline: ROUND_TRIP,
  samplesNs: await sampleAsync(
    () => call('GET', '/api/v1/namespaces/bench/configmaps/cm-00042', 200),
    WRITES,
  ),
});
overHttps.push({
  name: `list ${LIST_SIZE} ConfigMaps`,
  baseline: ROUND_TRIP,
  samplesNs: await sampleAsync(() => call('GET', '/api/v1/namespaces/bench/configmaps', 200), 20, 2),
  note: `${LIST_SIZE} objects per list`,
});
overHttps.push({
  name: 'list with labelSelector (1/10)',
  baseline: ROUND_TRIP,
  samplesNs: await sampleAsync(
    () => call('GET', '/api/v1/namespaces/bench/configmaps?labelSelector=shard%3D3', 200),
    20,
    2,
  ),
  note: `${LIST_SIZE / 10} of ${LIST_SIZE} objects per list`,
});
overHttps.push({
  name: 'create',
  baseline: ROUND_TRIP,
  samplesNs: await sampleAsync(
    (i) => call('POST', '/api/v1/namespaces/default/configmaps', 201, configMap(`http-${i + 10}`, 'default')),
    WRITES,
  ),
});
overHttps.push({
  name: 'update (JSON patch)',
  baseline: ROUND_TRIP,
  samplesNs: await sampleAsync(
    (i) =>
      call(
        'PATCH',
        '/api/v1/namespaces/default/configmaps/http-10',
        200,
        [{ op: 'replace', path: '/data/a', value: String(i) }],
        'application/json-patch+json',
      ),
    WRITES,
  ),
});
const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
overHttps.push({
  name: 'create with client-node CoreV1Api',
  baseline: 'create',
  samplesNs: await sampleAsync(
    (i) =>
      core.createNamespacedConfigMap({ namespace: 'default', body: configMap(`typed-${i + 10}`, 'default') }),
    100,
  ),
  note: 'client-node 1.4 makes a new https.Agent per request: a TLS handshake each time',
});
agent.destroy();

// --- watch fan-out ----------------------------------------------------------------------------------

/** Opens `count` raw watch streams on one object; resolves once every stream has its response headers. */
async function openWatches(count: number, name: string, onEvent: (resourceVersion: string) => void) {
  const path = `/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3D${name}`;
  const requests = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ClientRequest>((ready, fail) => {
          const req = https.request(
            new URL(path, cluster.url),
            { agent: false, ca: cluster.caCertPem, headers: { Authorization: `Bearer ${token}` } },
            (res) => {
              ready(req);
              let buffer = '';
              res.on('data', (chunk: Buffer) => {
                buffer += chunk.toString('utf8');
                for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
                  const line = buffer.slice(0, newline);
                  buffer = buffer.slice(newline + 1);
                  if (!line.trim()) continue;
                  const event = JSON.parse(line) as { object: { metadata: { resourceVersion: string } } };
                  onEvent(event.object.metadata.resourceVersion);
                }
              });
            },
          );
          req.on('error', fail);
          req.end();
        }),
    ),
  );
  return () => {
    for (const req of requests) req.destroy();
  };
}

/** Times each of `writes` in-process writes until all `watchers` streams have read its event. */
async function fanout(watchers: number, writes: number): Promise<number[]> {
  const name = `fanout-${watchers}`;
  const pending = new Map<string, { remaining: number; done: () => void }>();
  const close = await openWatches(watchers, name, (resourceVersion) => {
    const waiter = pending.get(resourceVersion);
    if (!waiter) return;
    waiter.remaining -= 1;
    if (waiter.remaining === 0) waiter.done();
  });
  const seenByAll = (write: () => { metadata: { resourceVersion?: string } }): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const written = write();
      const resourceVersion = written.metadata.resourceVersion ?? '';
      const timer = setTimeout(() => {
        const left = pending.get(resourceVersion)?.remaining;
        reject(new Error(`${left} of ${watchers} watchers did not see revision ${resourceVersion}`));
      }, FANOUT_TIMEOUT_MS);
      pending.set(resourceVersion, {
        remaining: watchers,
        done: () => {
          clearTimeout(timer);
          pending.delete(resourceVersion);
          resolve();
        },
      });
    });
  try {
    await seenByAll(() => cluster.store.create(configmaps, configMap(name, 'default')));
    const samples: number[] = [];
    for (let i = 0; i < writes; i += 1) {
      const start = process.hrtime.bigint();
      await seenByAll(() =>
        cluster.store.update(configmaps, {
          ...cluster.store.get(configmaps, 'default', name)!,
          data: { i: String(i) },
        }),
      );
      samples.push(Number(process.hrtime.bigint() - start));
    }
    return samples;
  } finally {
    close();
  }
}

const ONE_WATCHER = 'watch delivery to 1 watcher';
const watch: BenchRow[] = [
  {
    name: ONE_WATCHER,
    samplesNs: await fanout(1, FANOUT_WRITES),
    note: 'write until the watcher has read the event',
  },
  {
    name: `watch fan-out to ${WATCHERS} watchers`,
    baseline: ONE_WATCHER,
    samplesNs: await fanout(WATCHERS, FANOUT_WRITES),
    note: 'write until every watcher has read the event',
  },
];

await cluster.close();

const cpus = os.cpus();
writeReport(fileURLToPath(new URL('./results.md', import.meta.url)), '@kubesmart/mock benchmarks', [
  {
    heading: 'In process',
    text:
      `${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${loadAtStart.toFixed(2)} at start. ` +
      'Store operations against a plain in-memory `Map.set` (the floor), measured in the same run.',
    rows: inProcess,
  },
  {
    heading: 'Over HTTPS',
    text:
      'One keep-alive TLS connection, admin bearer token; every answer is checked for its status. Each case ' +
      'against a `GET /version` round trip, so the ratio is what the emulator adds to the transport.',
    rows: overHttps,
  },
  {
    heading: 'Watch fan-out',
    text: `Raw HTTPS watch streams with a field selector; ${FANOUT_WRITES} in-process writes each.`,
    rows: watch,
  },
]);
