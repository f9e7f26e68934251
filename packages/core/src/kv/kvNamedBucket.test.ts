import { createMockCluster, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/kvContext.js';
import { waitFor } from '../../test/waitFor.js';
import { ForbiddenError, InvalidArgumentError, KvValueTooLargeError } from '../errors.js';
import { KvBucket } from './kvBucket.js';
import type { KvBucketOptions, KvChange } from './kvTypes.js';

// An identity whose Role names its buckets: it may read and write them, and create ConfigMaps (create
// cannot be limited by name), but it may not list or watch the namespace's ConfigMaps.
const NAMED_RULES: PolicyRule[] = [
  {
    apiGroups: [''],
    resources: ['configmaps'],
    resourceNames: ['named-flags', 'named-small'],
    verbs: ['get', 'list', 'watch', 'update'],
  },
  { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
];

let cluster: MockCluster;
const closers: (() => void)[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ tls: true });
  cluster.access.addUser({ name: 'named', token: 'named-token-0123456789', rules: NAMED_RULES });
});
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});
afterAll(() => cluster.close());

function bucket(name: string, options: Omit<KvBucketOptions, 'namespace'> = {}): KvBucket {
  const context = testContext(cluster.kubeConfigFor('named'));
  const opened = new KvBucket({ ...options, name, context });
  closers.push(context.close, () => opened.close());
  return opened;
}

describe("KvBucket with cacheScope: 'bucket' (a Role limited by resourceNames)", () => {
  it('reads, writes and watches its one ConfigMap through a name-selected list and watch', async () => {
    const flags = bucket('named-flags', { cacheScope: 'bucket' });
    await flags.ready({ timeoutMs: 10_000 });
    const seen: KvChange<string | Buffer>[] = [];
    flags.watch('', (change) => seen.push(change));
    await flags.set('mode', 'on');
    expect((await flags.get('mode'))?.value).toBe('on');
    expect((await flags.get('mode', { consistent: true }))?.value).toBe('on');
    // A write by someone else arrives through the name-selected watch.
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'named-flags', namespace: 'default' },
      data: { mode: 'off' },
    });
    await waitFor('the outside write to be seen', () =>
      seen.some((c) => c.key === 'mode' && c.value === 'off'),
    );
    expect((await flags.entries()).map((e) => [e.key, e.value])).toEqual([['mode', 'off']]);
    expect(flags.status()).toMatchObject({ synced: true, stale: false, objects: 1, keys: 1 });
  });

  it('refuses with a typed error, writing nothing, when a key does not fit in its one ConfigMap', async () => {
    const small = bucket('named-small', { cacheScope: 'bucket', maxObjectBytes: 64 });
    await small.set('a', 'x'.repeat(40));
    const full = small.set('b', 'y'.repeat(40));
    await expect(full).rejects.toBeInstanceOf(KvValueTooLargeError);
    await expect(full).rejects.toThrow(/cacheScope: 'bucket'.*one ConfigMap/);
    expect(await small.keys({ consistent: true })).toEqual(['a']);
    const names = (cluster.list('configmaps', 'default') as { metadata: { name: string } }[]).map(
      (o) => o.metadata.name,
    );
    expect(names.filter((n) => n.startsWith('named-small'))).toEqual(['named-small']);
  });

  it('is what such a Role needs: the namespace-wide cache is forbidden to it', async () => {
    const wide = bucket('named-flags');
    await expect(wide.ready({ timeoutMs: 10_000 })).rejects.toBeInstanceOf(ForbiddenError);
    const other = bucket('not-named', { cacheScope: 'bucket' });
    await expect(other.ready({ timeoutMs: 10_000 })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('refuses an unknown cacheScope', () => {
    const context = testContext(cluster.kubeConfig);
    closers.push(context.close);
    expect(() => new KvBucket({ name: 'x', context, cacheScope: 'cluster' as unknown as 'bucket' })).toThrow(
      InvalidArgumentError,
    );
  });
});
