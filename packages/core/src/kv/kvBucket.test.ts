import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/kvContext.js';
import { waitFor } from '../../test/waitFor.js';
import { InvalidArgumentError, KvConflictError, KvKeyInvalidError, KvValueTooLargeError } from '../errors.js';
import { KvBucket } from './kvBucket.js';
import type { KvBucketOptions, KvChange } from './kvTypes.js';

let cluster: MockCluster;
let context: ReturnType<typeof testContext>;
const buckets: KvBucket<unknown>[] = [];

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

let seq = 0;
function bucket<T = string | Buffer>(options: KvBucketOptions<T> = {}, name = `kv-${++seq}`): KvBucket<T> {
  const made = new KvBucket<T>({ ...options, name, context });
  buckets.push(made as KvBucket<unknown>);
  return made;
}

describe('KvBucket over ConfigMaps', () => {
  it('reads nothing and creates nothing until the first set', async () => {
    const flags = bucket();
    expect(await flags.get('dark-mode')).toBeUndefined();
    expect(await flags.keys()).toEqual([]);
    expect(cluster.get('configmap', flags.name)).toBeUndefined();
  });

  it('creates the ConfigMap on the first set and reads its own write from the cache', async () => {
    const flags = bucket();
    const version = await flags.set('dark-mode', 'on');
    const cm = cluster.get('configmap', flags.name)!;
    expect(cm.data).toEqual({ 'dark-mode': 'on' });
    expect(cm.metadata.labels?.['kubesmart.io/kv-bucket']).toBe(flags.name);
    expect(version).toBe(cm.metadata.resourceVersion);
    expect(await flags.get('dark-mode')).toEqual({ value: 'on', version, stale: false });
    expect(await flags.get('dark-mode', { consistent: true })).toEqual({
      value: 'on',
      version,
      stale: false,
    });
  });

  it('compares and sets with ifVersion and writes nothing on a mismatch', async () => {
    const flags = bucket();
    const v1 = await flags.set('a', '1');
    const v2 = await flags.set('a', '2', { ifVersion: v1 });
    await expect(flags.set('a', '3', { ifVersion: v1 })).rejects.toBeInstanceOf(KvConflictError);
    await expect(flags.set('missing', 'x', { ifVersion: v2 })).rejects.toThrow(/does not exist/);
    await expect(flags.delete('a', { ifVersion: v1 })).rejects.toBeInstanceOf(KvConflictError);
    expect(cluster.get('configmap', flags.name)?.data).toEqual({ a: '2' });
    expect(await flags.delete('a', { ifVersion: v2 })).toBe(true);
    expect(await flags.delete('a')).toBe(false);
    expect(await flags.get('a', { consistent: true })).toBeUndefined();
  });

  it('sees writes made by others through the watch, and a consistent read sees them at once', async () => {
    const flags = bucket();
    await flags.set('x', 'mine');
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: flags.name },
      data: { x: 'theirs' },
    });
    expect((await flags.get('x', { consistent: true }))?.value).toBe('theirs');
    await waitFor('the watch to deliver the change', async () => (await flags.get('x'))?.value === 'theirs');
  });

  it('serves a ConfigMap made by hand and adopts it on the first write', async () => {
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'by-hand' },
      data: { k: 'v' },
    });
    const legacy = bucket({}, 'by-hand');
    expect((await legacy.get('k'))?.value).toBe('v');
    await legacy.set('k2', 'v2');
    const cm = cluster.get('configmap', 'by-hand')!;
    expect(cm.data).toEqual({ k: 'v', k2: 'v2' });
    expect(cm.metadata.labels?.['kubesmart.io/kv-bucket']).toBe('by-hand');
  });

  it('stores JSON and checks values with a schema before writing', async () => {
    const settings = bucket<{ retries: number }>({ codec: 'json' });
    await settings.set('http', { retries: 3 });
    expect((await settings.get('http'))?.value).toEqual({ retries: 3 });
    const schema = {
      parse(input: unknown): { on: boolean } {
        if (typeof (input as { on?: unknown })?.on !== 'boolean') throw new Error('on must be a boolean');
        return input as { on: boolean };
      },
    };
    const typed = bucket({ codec: schema });
    await typed.set('f', { on: true });
    await expect(typed.set('g', { on: 'yes' } as unknown as { on: boolean })).rejects.toThrow(
      /does not fit the schema: on must be a boolean/,
    );
    expect(await typed.keys({ consistent: true })).toEqual(['f']);
  });

  it('keeps Buffers in binaryData and reads them back as Buffers', async () => {
    const blobs = bucket();
    const bytes = Buffer.from([0, 1, 2, 255]);
    await blobs.set('logo.png', bytes);
    await blobs.set('name', 'text');
    const cm = cluster.get('configmap', blobs.name)!;
    expect(cm.binaryData).toEqual({ 'logo.png': 'AAEC/w==' });
    expect(cm.data).toEqual({ name: 'text' });
    expect((await blobs.get('logo.png'))?.value).toEqual(bytes);
  });

  it('refuses invalid keys and oversized values before writing anything', async () => {
    const flags = bucket();
    for (const key of ['', 'a/b', '..x', '.', 'x'.repeat(254), 'sp ace'])
      await expect(flags.set(key, 'v')).rejects.toBeInstanceOf(KvKeyInvalidError);
    await expect(flags.get('a/b')).rejects.toThrow(/key "a\/b" is invalid: it may only hold/);
    await expect(flags.set('big', 'x'.repeat(1024 * 1024))).rejects.toBeInstanceOf(KvValueTooLargeError);
    await expect(flags.setMany({ ok: 'v', 'bad/key': 'v' })).rejects.toBeInstanceOf(KvKeyInvalidError);
    expect(cluster.get('configmap', flags.name)).toBeUndefined();
    await expect(bucket({ codec: 'json' }).set('fn', (() => 1) as unknown as string)).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it('sets many keys in one write and lists them sorted, by prefix', async () => {
    const flags = bucket();
    const versions = await flags.setMany({ 'b.one': '1', 'a.two': '2', 'b.three': '3' });
    expect(new Set(Object.values(versions)).size).toBe(1);
    expect(await flags.keys()).toEqual(['a.two', 'b.one', 'b.three']);
    expect((await flags.entries({ prefix: 'b.' })).map((e) => [e.key, e.value])).toEqual([
      ['b.one', '1'],
      ['b.three', '3'],
    ]);
  });

  it('updates with a function and leaves the key when it returns undefined', async () => {
    const counters = bucket<number>({ codec: 'json' });
    expect((await counters.update('n', (old) => (old ?? 0) + 1)).value).toBe(1);
    const same = await counters.update('n', () => undefined);
    expect(same.value).toBe(1);
    expect((await counters.get('n'))?.version).toBe(same.version);
  });

  it('watches a key or a prefix until unsubscribed', async () => {
    const flags = bucket();
    const seen: KvChange<unknown>[] = [];
    const stop = flags.watch('ui.', (change) => seen.push(change));
    await flags.set('ui.theme', 'dark');
    await flags.set('other', 'x');
    await flags.delete('ui.theme');
    await waitFor('two changes', () => seen.length >= 2);
    expect(seen.map(({ type, key, value }) => ({ type, key, value }))).toEqual([
      { type: 'set', key: 'ui.theme', value: 'dark' },
      { type: 'delete', key: 'ui.theme', value: undefined },
    ]);
    stop();
    await flags.set('ui.theme', 'light');
    await flags.get('ui.theme', { consistent: true });
    expect(seen).toHaveLength(2);
  });

  it('reports stale reads while the watch reconnects', async () => {
    const flags = bucket();
    await flags.set('k', 'v');
    await flags.ready();
    await cluster.faults.refuseConnections(1500);
    await cluster.restart();
    await waitFor('a stale read', async () => (await flags.get('k'))?.stale === true);
    expect((await flags.get('k'))?.value).toBe('v');
    await waitFor('a fresh read', async () => (await flags.get('k'))?.stale === false);
  });

  it('rejects unusable options', () => {
    expect(() => bucket({}, 'Not_A_Name')).toThrow(InvalidArgumentError);
    expect(() => bucket({ namespace: 'a/b' })).toThrow(InvalidArgumentError);
    expect(() => bucket({ maxAttempts: 0 })).toThrow(InvalidArgumentError);
  });
});
