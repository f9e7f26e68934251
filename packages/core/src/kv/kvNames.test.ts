import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/kvContext.js';
import { InvalidArgumentError, KvObjectTakenError } from '../errors.js';
import { KvBucket } from './kvBucket.js';
import type { KvBucketOptions } from './kvTypes.js';

let cluster: MockCluster;
let context: ReturnType<typeof testContext>;
const buckets: KvBucket[] = [];

beforeAll(async () => {
  cluster = await createMockCluster();
  context = testContext(cluster.kubeConfig);
});
afterEach(() => {
  for (const bucket of buckets.splice(0)) bucket.close();
});
afterAll(async () => {
  context.close();
  await cluster.close();
});

function bucket(name: string, options: KvBucketOptions<string | Buffer> = {}): KvBucket {
  const made = new KvBucket({ maxAttempts: 50, ...options, name, context });
  buckets.push(made);
  return made;
}

/** Fills a bucket whose objects hold ~60 bytes so that keys 4 and 5 land in its first overflow object. */
async function fillPastOneObject(kv: KvBucket): Promise<void> {
  for (let i = 1; i <= 5; i += 1) await kv.set(`key${i}`, 'x'.repeat(12));
}

const apiRequests = (): number => context.client.stats().requests;

describe('KV object names', () => {
  it('names overflow objects so that no bucket can take them, and keeps two buckets apart', async () => {
    const app = bucket('app', { maxObjectBytes: 60 });
    await fillPastOneObject(app);
    const objects = cluster
      .list('configmaps', 'default', { labelSelector: 'kubesmart.io/kv-bucket=app' })
      .map((o) => o.metadata.name)
      .sort();
    expect(objects).toEqual(['app', 'app.kv-1']);
    expect(() => bucket('app.kv-1')).toThrow(InvalidArgumentError);

    // A bucket named like the old overflow scheme is just another bucket.
    const other = bucket('app-1', { maxObjectBytes: 60 });
    expect(await other.keys()).toEqual([]);
    await other.set('mine', 'v');
    expect(await app.keys({ consistent: true })).toEqual(['key1', 'key2', 'key3', 'key4', 'key5']);
    expect(await other.keys({ consistent: true })).toEqual(['mine']);
  });

  it('reads overflow objects of earlier releases, and never adopts one as the head of another bucket', async () => {
    await cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'old',
          namespace: 'default',
          labels: { 'kubesmart.io/kv-bucket': 'old' },
          annotations: { 'kubesmart.io/kv-shard': '0', 'kubesmart.io/kv-sealed': 'true' },
        },
        data: { key1: 'a' },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'old-1',
          namespace: 'default',
          labels: { 'kubesmart.io/kv-bucket': 'old' },
          annotations: { 'kubesmart.io/kv-shard': '1' },
        },
        data: { key4: 'd', key5: 'e' },
      },
    ]);
    const old = bucket('old');
    expect(await old.keys()).toEqual(['key1', 'key4', 'key5']);

    const squatter = bucket('old-1');
    expect(await squatter.keys()).toEqual([]);
    await expect(squatter.set('key9', 'x')).rejects.toBeInstanceOf(KvObjectTakenError);
    await expect(squatter.delete('key4')).resolves.toBe(false);
    expect(cluster.get('configmap', 'old-1')?.data).toEqual({ key4: 'd', key5: 'e' });
    expect(await old.keys({ consistent: true })).toEqual(['key1', 'key4', 'key5']);
  });

  it('gives up with a typed error, after few requests, when its next overflow name is taken', async () => {
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg.kv-1', namespace: 'default' },
      data: { handmade: 'yes' },
    });
    const cfg = bucket('cfg', { maxObjectBytes: 60 });
    for (let i = 1; i <= 3; i += 1) await cfg.set(`key${i}`, 'x'.repeat(12));
    const before = apiRequests();
    const failure = await cfg.set('key4', 'x'.repeat(12)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KvObjectTakenError);
    expect((failure as KvObjectTakenError).details).toMatchObject({ bucket: 'cfg', object: 'cfg.kv-1' });
    expect(apiRequests() - before).toBeLessThan(20);
    expect(cluster.get('configmap', 'cfg.kv-1')?.data).toEqual({ handmade: 'yes' });
    expect(await cfg.keys({ consistent: true })).toEqual(['key1', 'key2', 'key3']);
    // Nothing keeps running after the failure.
    const after = apiRequests();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(apiRequests()).toBe(after);
  });

  it('refuses bucket names the API server refuses', () => {
    for (const name of ['z..z', 'a.-b', 'a-.b', '.a', 'a.'])
      expect(() => bucket(name)).toThrow(InvalidArgumentError);
    expect(() => bucket('a.b-c.d')).not.toThrow();
  });
});

describe('KV keys named like Object.prototype members', () => {
  it('stores __proto__, constructor and toString as keys, and a write to another key keeps them', async () => {
    const kv = bucket('proto-keys');
    await kv.set('__proto__', 'p');
    await kv.set('constructor', 'c');
    expect((await kv.get('__proto__'))?.value).toBe('p');
    await kv.set('toString', 't');
    await kv.setMany({ other: 'o' });
    const stored = cluster.get('configmap', 'proto-keys')?.data as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['__proto__', 'constructor', 'other', 'toString']);
    expect(Object.hasOwn(stored, '__proto__')).toBe(true);
    expect(await kv.keys({ consistent: true })).toEqual(['__proto__', 'constructor', 'other', 'toString']);
    expect((await kv.get('__proto__', { consistent: true }))?.value).toBe('p');
    expect(await kv.delete('__proto__')).toBe(true);
    expect(await kv.keys({ consistent: true })).toEqual(['constructor', 'other', 'toString']);
  });

  it('keeps __proto__ in a Secret bucket too', async () => {
    const kv = bucket('proto-secret', { backend: 'secret' });
    await kv.set('__proto__', 'hidden');
    await kv.set('next', 'n');
    expect(await kv.keys({ consistent: true })).toEqual(['__proto__', 'next']);
    expect((await kv.get('__proto__', { consistent: true }))?.value).toBe('hidden');
  });
});

describe('KV values the json codec cannot store', () => {
  it('refuses a BigInt and a cycle with InvalidArgumentError, writing nothing', async () => {
    const kv = new KvBucket<unknown>({ name: 'json-values', codec: 'json', context });
    try {
      await expect(kv.set('big', { n: 1n })).rejects.toBeInstanceOf(InvalidArgumentError);
      const cycle: Record<string, unknown> = {};
      cycle.self = cycle;
      await expect(kv.set('cycle', cycle)).rejects.toThrow(/cannot be stored as JSON/);
      expect(cluster.get('configmap', 'json-values')).toBeUndefined();
    } finally {
      kv.close();
    }
  });
});
