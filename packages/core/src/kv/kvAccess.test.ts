import { createMockCluster, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testContext } from '../../test/kvContext.js';
import { ForbiddenError, KvValueTooLargeError } from '../errors.js';
import { KvBucket } from './kvBucket.js';

// The emulator serves TLS with bearer tokens by default: every request here is authenticated.
let cluster: MockCluster;
const closers: (() => void)[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ tls: true });
});
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
});
afterAll(() => cluster.close());

function bucketAs<T = string | Buffer>(
  user: string | undefined,
  name: string,
  options: { backend?: 'secret'; maxObjectBytes?: number } = {},
): KvBucket<T> {
  const context = testContext(user ? cluster.kubeConfigFor(user) : cluster.kubeConfig);
  const bucket = new KvBucket<T>({ ...options, name, context });
  closers.push(context.close, () => bucket.close());
  return bucket;
}

function addUser(name: string, rules: PolicyRule[]): void {
  cluster.access.addUser({ name, token: `${name}-token-0123456789`, rules });
}

describe('KvBucket and RBAC over TLS', () => {
  it('runs over TLS with a bearer token', async () => {
    expect(cluster.url.startsWith('https://')).toBe(true);
    const flags = bucketAs(undefined, 'tls-flags');
    await flags.set('a', '1');
    expect((await flags.get('a'))?.value).toBe('1');
  });

  it('surfaces a forbidden write as ForbiddenError naming the missing rule, and writes nothing', async () => {
    addUser('reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    await bucketAs(undefined, 'ro-flags').set('a', '1');
    const flags = bucketAs('reader', 'ro-flags');
    expect((await flags.get('a'))?.value).toBe('1');
    const error = await flags.set('a', '2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toMatch(/403 Forbidden to update configmaps "ro-flags"/);
    expect((error as Error).message).toMatch(/verbs: \["update"\]|update/);
    expect(cluster.get('configmap', 'ro-flags')?.data).toEqual({ a: '1' });
  });

  it('fails a read at once with ForbiddenError when listing is forbidden', async () => {
    addUser('getter', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    const flags = bucketAs('getter', 'no-list');
    const error = await flags.get('a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toMatch(/list configmaps/);
  });

  it('refuses a create when only update is allowed', async () => {
    addUser('updater', [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch', 'update'] },
    ]);
    const error = await bucketAs('updater', 'fresh-bucket')
      .set('a', '1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    expect((error as Error).message).toMatch(/create configmaps/);
    expect(cluster.get('configmap', 'fresh-bucket')).toBeUndefined();
  });
});

describe('KvBucket over a Secret', () => {
  it('keeps values base64 in data, bytes marked as binary, and reads them back', async () => {
    const secrets = bucketAs('admin', 'app-secrets', { backend: 'secret' });
    await secrets.set('password', 'hunter2');
    await secrets.set('key.bin', Buffer.from([1, 2, 3]));
    const secret = cluster.get('secret', 'app-secrets')!;
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64'), 'key.bin': 'AQID' });
    expect(secret.metadata.annotations?.['kubesmart.io/kv-binary-keys']).toBe('key.bin');
    expect((await secrets.get('password'))?.value).toBe('hunter2');
    expect((await secrets.get('key.bin'))?.value).toEqual(Buffer.from([1, 2, 3]));
    expect(await secrets.keys({ consistent: true })).toEqual(['key.bin', 'password']);
  });

  it('reads and writes with get and update on its own Secret only', async () => {
    // On kube-apiserver list and watch can be limited by name too (the cache lists with
    // fieldSelector=metadata.name=<bucket>); the emulator authorizes lists without names, so they are
    // granted namespace-wide here.
    addUser('one-secret', [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'update'], resourceNames: ['scoped'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] },
    ]);
    await bucketAs(undefined, 'scoped', { backend: 'secret' }).set('token', 't0');
    const scoped = bucketAs('one-secret', 'scoped', { backend: 'secret' });
    await scoped.set('token', 't1');
    expect((await scoped.get('token'))?.value).toBe('t1');
  });

  it('is one Secret: a value that does not fit is refused, not spread', async () => {
    const small = bucketAs('admin', 'tiny-secret', { backend: 'secret', maxObjectBytes: 32 });
    await small.set('a', 'x'.repeat(20));
    await expect(small.set('b', 'y'.repeat(20))).rejects.toBeInstanceOf(KvValueTooLargeError);
    expect(Object.keys(cluster.get('secret', 'tiny-secret')?.data ?? {})).toEqual(['a']);
    expect(cluster.get('secret', 'tiny-secret-1')).toBeUndefined();
  });
});
