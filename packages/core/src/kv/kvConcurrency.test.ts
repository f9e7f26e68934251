import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/kvContext.js';
import { KvBucket } from './kvBucket.js';
import { BUCKET_LABEL, SEALED_ANNOTATION } from './kvShards.js';

let cluster: MockCluster;
const closers: (() => void)[] = [];

beforeAll(async () => {
  cluster = await createMockCluster();
});
afterAll(async () => {
  for (const close of closers.splice(0)) close();
  await cluster.close();
});

/** One writer = one process: its own client, watch cache and bucket. */
function writer<T>(name: string, options: { codec?: 'json'; maxObjectBytes?: number } = {}): KvBucket<T> {
  const context = testContext(cluster.kubeConfig);
  const bucket = new KvBucket<T>({ ...options, name, context });
  closers.push(() => bucket.close(), context.close);
  return bucket;
}

describe('KvBucket under concurrency', () => {
  it('8 writers x 500 increments of one key through update() end at exactly 4000', async () => {
    const writers = Array.from({ length: 8 }, () => writer<number>('counter', { codec: 'json' }));
    await Promise.all(writers.map((w) => w.ready()));
    await Promise.all(
      writers.map(async (w) => {
        for (let i = 0; i < 500; i++) await w.update('hits', (old) => (old ?? 0) + 1);
      }),
    );
    expect(cluster.get('configmap', 'counter')?.data).toEqual({ hits: '4000' });
    expect((await writers[0]!.get('hits', { consistent: true }))?.value).toBe(4000);
  }, 120_000);

  it('writers adding distinct keys to a bucket that outgrows its object keep every key exactly once', async () => {
    // 40 bytes per object: each holds two or three entries, so the bucket grows while 6 writers race.
    const writers = Array.from({ length: 6 }, () => writer<string>('grows', { maxObjectBytes: 40 }));
    await Promise.all(writers.map((w) => w.ready()));
    await Promise.all(
      writers.map(async (w, n) => {
        for (let i = 0; i < 8; i++) await w.set(`w${n}-k${i}`, `value${i}`);
      }),
    );
    const objects = cluster
      .list('configmap', 'default')
      .filter((cm) => cm.metadata.name?.startsWith('grows'));
    const holders = new Map<string, string[]>();
    for (const cm of objects) {
      for (const key of Object.keys((cm.data as Record<string, string>) ?? {}))
        holders.set(key, [...(holders.get(key) ?? []), cm.metadata.name!]);
    }
    expect(holders.size).toBe(48);
    expect([...holders.values()].every((names) => names.length === 1)).toBe(true);
    expect(objects.length).toBeGreaterThan(10);
    expect(objects.every((cm) => cm.metadata.labels?.[BUCKET_LABEL] === 'grows')).toBe(true);
    const unsealed = objects.filter((cm) => cm.metadata.annotations?.[SEALED_ANNOTATION] !== 'true');
    expect(unsealed).toHaveLength(1);
    expect(await writers[0]!.keys({ consistent: true })).toHaveLength(48);
    expect((await writers[1]!.get('w5-k7'))?.value).toBe('value7');
  }, 120_000);

  it('concurrent updates of keys spread over several objects all land', async () => {
    const writers = Array.from({ length: 4 }, () =>
      writer<number>('spread', { codec: 'json', maxObjectBytes: 30 }),
    );
    await writers[0]!.setMany({ a: 0, b: 0 });
    await writers[0]!.set('c', 0);
    await writers[0]!.set('d', 0);
    await Promise.all(writers.map((w) => w.ready()));
    await Promise.all(
      writers.map(async (w) => {
        for (let i = 0; i < 25; i++)
          for (const key of ['a', 'b', 'c', 'd']) await w.update(key, (old) => (old ?? 0) + 1);
      }),
    );
    const entries = await writers[3]!.entries({ consistent: true });
    expect(entries.map((e) => [e.key, e.value])).toEqual([
      ['a', 100],
      ['b', 100],
      ['c', 100],
      ['d', 100],
    ]);
  }, 120_000);
});
