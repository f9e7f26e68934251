/**
 * The KV engine against the emulated API server (TLS, bearer token): a cached `get` versus reading
 * the ConfigMap from the API server on every call (what k8skv did), and `update()`
 * throughput under contention on one key with 1, 4 and 16 writers (each its own client and cache,
 * like separate processes).
 */
import { createMockCluster } from '@kubesmart/mock';
import { KvBucket } from '../src/index.js';
import { testContext } from '../test/kvContext.js';
import type { Measurement, Row, Section } from './harness.js';
import { stats } from './harness.js';

/** Times `samples` batches of `iterations` awaited calls; ns per call per batch. */
async function measureAsync(
  fn: () => Promise<unknown>,
  samples: number,
  iterations: number,
): Promise<Measurement> {
  for (let i = 0; i < iterations; i++) await fn();
  const samplesNs: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    samplesNs.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return { samplesNs, gcs: 0, bytesPerOp: undefined };
}

export async function kvBench(): Promise<Section> {
  const cluster = await createMockCluster();
  const contexts: ReturnType<typeof testContext>[] = [];
  const open = (): ReturnType<typeof testContext> => {
    const context = testContext(cluster.kubeConfig);
    contexts.push(context);
    return context;
  };
  try {
    const reader = open();
    const flags = new KvBucket<string | Buffer>({ name: 'bench-flags', context: reader });
    await flags.setMany(
      Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`flag-${i}`, `value-${i}`])),
    );
    await flags.ready();
    const cached = await measureAsync(() => flags.get('flag-7'), 50, 2000);
    const direct = await measureAsync(() => flags.get('flag-7', { consistent: true }), 20, 50);
    const rows: Row[] = [
      { name: 'get from the shared watch cache', measurement: cached },
      {
        name: 'get from the API server (consistent: true, as k8skv)',
        measurement: direct,
        baseline: 'get from the shared watch cache',
      },
    ];
    const verdicts: string[] = [];
    const ratio = stats(direct.samplesNs).medianNs / stats(cached.samplesNs).medianNs;
    verdicts.push(`a cached get is ${Math.round(ratio)}x faster than a read from the API server`);
    for (const writers of [1, 4, 16]) {
      const total = 800;
      const buckets = Array.from(
        { length: writers },
        () => new KvBucket<number>({ name: `bench-counter-${writers}`, codec: 'json', context: open() }),
      );
      await Promise.all(buckets.map((bucket) => bucket.ready()));
      const start = process.hrtime.bigint();
      await Promise.all(
        buckets.map(async (bucket) => {
          for (let i = 0; i < total / writers; i++) await bucket.update('n', (old) => (old ?? 0) + 1);
        }),
      );
      const elapsed = Number(process.hrtime.bigint() - start);
      const final = (await buckets[0]!.get('n', { consistent: true }))?.value;
      const name = `update() of one key, ${writers} writer${writers === 1 ? '' : 's'}`;
      rows.push({
        name,
        measurement: { samplesNs: [elapsed / total], gcs: 0, bytesPerOp: undefined },
        ...(writers === 1 ? {} : { baseline: 'update() of one key, 1 writer' }),
        note: `${total} updates, final value ${final}`,
      });
      verdicts.push(
        `${writers} writer(s): ${final === total ? 'no update lost' : `LOST UPDATES (${final}/${total})`}`,
      );
      for (const bucket of buckets) bucket.close();
    }
    flags.close();
    return {
      heading: 'KV: cached get vs API read; update() under contention',
      text:
        'Emulated API server over TLS with a bearer token, in the same process. ns/op of update() rows is ' +
        "wall time / updates (one run; ops/s is the whole group's throughput).",
      rows,
      verdicts,
    };
  } finally {
    for (const context of contexts) context.close();
    await cluster.close();
  }
}
