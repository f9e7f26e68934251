/**
 * Scale: 1,000 Services of 10 endpoints each, resolved by one KubeSmart: the time from
 * `createKubeSmart()` until every `svc.ready()` resolved, and the heap that stays in use, against the
 * same for 1 Service. Services and EndpointSlices are written straight into the emulator's store
 * (no pods run, so active health checks are off).
 */
import { createMockCluster } from '@kubesmart/mock';
import { createKubeSmart } from '../src/index.js';
import { latencies, type Row, type Section, stats } from './harness.js';
import { settledHeap, writeServices } from './meshFixtures.js';

const ENDPOINTS = 10;
const LARGE = 1_000;
const RUNS = { small: 10, large: 5 };

interface Sync {
  readonly ns: number;
  readonly heapBytes: number;
  readonly requests: number;
  readonly endpoints: number;
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

export async function scaleBench(): Promise<Section> {
  const cluster = await createMockCluster();
  try {
    const small = writeServices(cluster, 'bench-scale-one', 'one', 1, ENDPOINTS);
    const large = writeServices(cluster, 'bench-scale', 'svc', LARGE, ENDPOINTS);

    const sync = async (namespace: string, names: readonly string[]): Promise<Sync> => {
      const before = await settledHeap();
      const start = process.hrtime.bigint();
      const ks = createKubeSmart({ kubeConfig: cluster.kubeConfig, namespace });
      try {
        const services = names.map((name) => ks.service(name, { health: false }));
        const lists = await Promise.all(services.map((svc) => svc.ready({ timeoutMs: 60_000 })));
        const ns = Number(process.hrtime.bigint() - start);
        const heapBytes = (await settledHeap()) - before;
        const api = ks.status().api!;
        return {
          ns,
          heapBytes,
          requests: api.requests + api.watches,
          endpoints: lists.reduce((sum, list) => sum + list.length, 0),
        };
      } finally {
        await ks.close();
      }
    };
    const runs = async (namespace: string, names: readonly string[], count: number): Promise<Sync[]> => {
      await sync(namespace, names); // warm-up
      const result: Sync[] = [];
      for (let i = 0; i < count; i++) result.push(await sync(namespace, names));
      return result;
    };
    const one = await runs('bench-scale-one', small, RUNS.small);
    const many = await runs('bench-scale', large, RUNS.large);

    const ONE = `1 service x ${ENDPOINTS} endpoints`;
    const note = (r: Sync[]): string =>
      `heap ${mib(median(r.map((s) => s.heapBytes)))} MiB; ${r[0]!.endpoints.toLocaleString('en-US')} endpoints; ${r[0]!.requests} API requests; ${r.length} runs`;
    const rows: Row[] = [
      { name: ONE, measurement: latencies(one.map((s) => s.ns)), note: note(one) },
      {
        name: `${LARGE.toLocaleString('en-US')} services x ${ENDPOINTS} endpoints`,
        measurement: latencies(many.map((s) => s.ns)),
        baseline: ONE,
        note: note(many),
      },
    ];
    const oneMs = stats(one.map((s) => s.ns)).medianNs / 1e6;
    const manyMs = stats(many.map((s) => s.ns)).medianNs / 1e6;
    const heapOne = median(one.map((s) => s.heapBytes));
    const heapMany = median(many.map((s) => s.heapBytes));
    const perService = (heapMany - heapOne) / (LARGE - 1);
    return {
      heading: `Scale: ${LARGE.toLocaleString('en-US')} services x ${ENDPOINTS} endpoints`,
      text:
        'Emulated API server over TLS; one namespace of Services, each with one EndpointSlice, written to the store. Each run: a new ' +
        'KubeSmart, `ks.service(name, { health: false })` for every Service, until every `ready()` resolved (ns per run: the sync time). ' +
        'Heap: in use after a forced GC, less before the run, with the KubeSmart still open (it includes what the emulator keeps per watch). ' +
        'Ratio of median sync times to 1 service.',
      rows,
      verdicts: [
        `sync: ${manyMs.toFixed(0)} ms for ${LARGE.toLocaleString('en-US')} services against ${oneMs.toFixed(1)} ms for 1 (${(manyMs / LARGE).toFixed(2)} ms per service), with ${many[0]!.requests} API requests against ${one[0]!.requests}: a list and a watch of Services and of EndpointSlices for the namespace, whatever the number of services (lists come in pages of 500), and the permission check.`,
        `heap: ${mib(heapMany)} MiB for ${LARGE.toLocaleString('en-US')} services (${(perService / 1024).toFixed(1)} KiB more per service of ${ENDPOINTS} endpoints, its cached Service and EndpointSlice included) against ${mib(heapOne)} MiB for 1. ` +
          'Measured from source under tsx, whose transform gives every named closure its own `name` property (about 250 bytes each, some 20 per service in a heap snapshot); the built package has no such property, so it needs less.',
      ],
    };
  } finally {
    await cluster.close();
  }
}
