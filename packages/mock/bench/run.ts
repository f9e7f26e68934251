import https from 'node:https';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { type BenchRow, sampleAsync, sampleSync, writeReport } from '@kubesmart/test-utils';
import { createMockCluster } from '../src/index.js';
import { resourceByPath } from '../src/store/resources.js';

/**
 * Emulator benchmarks: listing 10,000 objects, create/update throughput over HTTPS and in process, and
 * watch fan-out to 100 watchers, each against a plain in-memory Map write (the floor).
 */

const LIST_SIZE = 10_000;
const WATCHERS = 100;
const FANOUT_WRITES = 200;

const cluster = await createMockCluster({ compactionWindow: 50_000 });
const core = cluster.kubeConfig.makeApiClient(CoreV1Api);
const configmaps = resourceByPath('v1', 'configmaps')!;

const floor = new Map<string, unknown>();
let n = 0;
const rows: BenchRow[] = [
  { name: 'Map.set (floor)', samplesNs: sampleSync(() => floor.set(`k${(n += 1) % 1000}`, { n })) },
];

await core.createNamespace({ body: { metadata: { name: 'bench' } } });
for (let i = 0; i < LIST_SIZE; i += 1) {
  cluster.store.create(configmaps, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${String(i).padStart(5, '0')}`, namespace: 'bench', labels: { shard: String(i % 10) } },
    data: { value: String(i) },
  });
}

let created = 0;
rows.push({
  name: 'store.create in process',
  baseline: 'Map.set (floor)',
  samplesNs: sampleSync(
    () =>
      cluster.store.create(configmaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `inproc-${(created += 1)}`, namespace: 'default' },
        data: { a: '1' },
      }),
    { samples: 20, iterations: 200 },
  ),
});
rows.push({
  name: `list ${LIST_SIZE} ConfigMaps over HTTPS`,
  baseline: 'Map.set (floor)',
  samplesNs: await sampleAsync(() => core.listNamespacedConfigMap({ namespace: 'bench' }), 20, 2),
  note: `${LIST_SIZE} objects per list`,
});
rows.push({
  name: 'list with labelSelector (1/10) over HTTPS',
  baseline: 'Map.set (floor)',
  samplesNs: await sampleAsync(() => core.listNamespacedConfigMap({ namespace: 'bench', labelSelector: 'shard=3' }), 20, 2),
  note: `${LIST_SIZE / 10} objects per list`,
});
rows.push({
  name: 'create over HTTPS',
  baseline: 'Map.set (floor)',
  samplesNs: await sampleAsync(
    (i) => core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: `http-${i + 10}` }, data: { a: '1' } } }),
    500,
  ),
});
rows.push({
  name: 'update (JSON patch) over HTTPS',
  baseline: 'Map.set (floor)',
  samplesNs: await sampleAsync(
    (i) =>
      core.patchNamespacedConfigMap({
        name: 'http-10',
        namespace: 'default',
        body: [{ op: 'replace', path: '/data/a', value: String(i) }],
      }),
    500,
  ),
});

// Watch fan-out: 100 raw HTTPS watch streams; time from a write until the last watcher has its event.
const url = new URL(cluster.url);
const token = cluster.access.users().find((u) => u.name === 'admin')!.token;
const pending = new Map<string, { remaining: number; done: () => void }>();
const requests: ReturnType<typeof https.request>[] = [];
await Promise.all(
  Array.from(
    { length: WATCHERS },
    () =>
      new Promise<void>((ready) => {
        const req = https.request(
          {
            host: url.hostname,
            port: url.port,
            path: '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dfanout',
            ca: cluster.caCertPem,
            headers: { Authorization: `Bearer ${token}` },
          },
          (res) => {
            ready();
            let buffer = '';
            res.on('data', (chunk: Buffer) => {
              buffer += chunk.toString('utf8');
              let newline = buffer.indexOf('\n');
              while (newline >= 0) {
                const line = buffer.slice(0, newline);
                buffer = buffer.slice(newline + 1);
                newline = buffer.indexOf('\n');
                if (!line.trim()) continue;
                const event = JSON.parse(line) as { object: { metadata: { resourceVersion: string } } };
                const waiter = pending.get(event.object.metadata.resourceVersion);
                if (waiter && (waiter.remaining -= 1) === 0) waiter.done();
              }
            });
          },
        );
        req.on('error', () => {});
        req.end();
        requests.push(req);
      }),
  ),
);
await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'fanout' }, data: { i: '0' } } });
await new Promise((r) => setTimeout(r, 200));
const fanout: number[] = [];
for (let i = 0; i < FANOUT_WRITES; i += 1) {
  const start = process.hrtime.bigint();
  let seen!: () => void;
  const allSeen = new Promise<void>((resolve) => {
    seen = resolve;
  });
  const written = cluster.store.update(configmaps, {
    ...cluster.store.get(configmaps, 'default', 'fanout')!,
    data: { i: String(i) },
  });
  pending.set(written.metadata.resourceVersion ?? '', { remaining: WATCHERS, done: seen });
  await allSeen;
  fanout.push(Number(process.hrtime.bigint() - start));
}
for (const req of requests) req.destroy();
rows.push({
  name: `watch fan-out to ${WATCHERS} watchers`,
  baseline: 'Map.set (floor)',
  samplesNs: fanout,
  note: 'write until every watcher has read the event',
});

await cluster.close();
writeReport(fileURLToPath(new URL('./results.md', import.meta.url)), '@kubesmart/mock benchmarks', [
  {
    heading: 'API server',
    text: 'Each case against a plain in-memory `Map.set` (the floor), measured in the same run.',
    rows,
  },
]);
