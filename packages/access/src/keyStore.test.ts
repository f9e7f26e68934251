import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeyStore } from './keyStore.js';

async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

let cluster: MockCluster;
let first: KubeSmart;
let second: KubeSmart;
let a: KeyStore;
let b: KeyStore;

beforeAll(async () => {
  cluster = await createMockCluster();
  first = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  second = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  a = new KeyStore({ kubeSmart: first, secretName: 'api-keys' });
  b = new KeyStore({ kubeSmart: second, secretName: 'api-keys' });
  await Promise.all([a.load(), b.load()]);
});

afterAll(async () => {
  a.close();
  b.close();
  await Promise.all([first.close(), second.close()]);
  await cluster.close();
});

describe('KeyStore', () => {
  it('shows a key once and stores only its digest under its id', async () => {
    const { key, info } = await a.create({ name: 'ci', scopes: { operations: ['namespaces'] } });
    expect(key).toMatch(/^ksh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    const secret = cluster.get('secret', 'api-keys', 'default') as
      | { data?: Record<string, string> }
      | undefined;
    const stored = JSON.parse(Buffer.from(String(secret?.data?.[info.id]), 'base64').toString('utf8'));
    expect(stored.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(secret)).not.toContain(key.split('_')[2]);
    expect(a.verify(key)).toEqual({ ok: true, key: info });
    await until(() => b.verify(key).ok, 'the second store to see the key');
  });

  it('refuses missing, malformed, unknown and wrong-secret keys with the reason', async () => {
    const { key, info } = await a.create({ name: 'other' });
    expect(a.verify(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(a.verify('not-a-key')).toEqual({ ok: false, reason: 'malformed' });
    expect(a.verify(key.replace('ksh_', 'ksa_'))).toEqual({ ok: false, reason: 'malformed' });
    const unknown = `ksh_0123456789abcdef_${'x'.repeat(43)}`;
    expect(a.verify(unknown)).toEqual({ ok: false, reason: 'unknown', id: '0123456789abcdef' });
    expect(a.verify(`ksh_${info.id}_${'y'.repeat(43)}`)).toEqual({
      ok: false,
      reason: 'wrong-secret',
      id: info.id,
    });
  });

  it('refuses an expired key', async () => {
    const { key, info } = await a.create({ name: 'short', expiresAt: Date.now() - 1000 });
    expect(a.verify(key)).toEqual({ ok: false, reason: 'expired', id: info.id });
  });

  it('revokes a key on every store through the watch, and lists it as revoked', async () => {
    const { key, info } = await a.create({ name: 'temp' });
    await until(() => b.verify(key).ok, 'the second store to see the key');
    const revoked = await a.revoke(info.id);
    expect(revoked?.revokedAt).toBeTypeOf('string');
    expect(a.verify(key)).toEqual({ ok: false, reason: 'revoked', id: info.id });
    await until(() => !b.verify(key).ok, 'the second store to see the revocation');
    expect(b.verify(key)).toEqual({ ok: false, reason: 'revoked', id: info.id });
    const listed = await b.list();
    expect(listed.find((k) => k.id === info.id)?.revokedAt).toBe(revoked?.revokedAt);
    expect(JSON.stringify(listed)).not.toContain('sha256:');
    expect(await a.revoke('ffffffffffffffff')).toBeUndefined();
  });

  it('refuses a bad name with a clear message', async () => {
    await expect(a.create({ name: 'has space' })).rejects.toThrow(/key name "has space"/);
  });
});
