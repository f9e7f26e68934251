import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
const running: RunningProxy[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ tls: true });
  await seedApiKey(cluster);
  cluster.access.addUser({
    name: 'kv-reader',
    token: 'kv-reader-token-123456',
    rules: [
      { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: [''],
        resources: ['secrets'],
        verbs: ['get', 'list', 'watch'],
        resourceNames: ['kv-proxy-api-keys'],
      },
    ],
  });
  cluster.access.addUser({
    name: 'alice',
    token: 'alice-token-123456',
    rules: [
      {
        apiGroups: [''],
        resources: ['configmaps'],
        verbs: ['get', 'list', 'watch'],
        resourceNames: ['flags'],
      },
    ],
  });
  cluster.access.addUser({ name: 'bob', token: 'bob-token-123456', rules: [] });
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flags' }, data: { a: '1' } });
});
afterAll(async () => {
  for (const proxy of running) await proxy.close();
  await cluster?.close();
});

async function proxy(env: Record<string, string>, user?: string): Promise<string> {
  const started = await startProxy(cluster, env, user);
  running.push(started);
  return started.url;
}

describe('kv-proxy when its own RBAC denies a verb', () => {
  it('answers 403 saying which permission the proxy lacks, and writes nothing', async () => {
    const url = await proxy({}, 'kv-reader');
    expect((await call(`${url}/kv/default/flags/a`)).text).toBe('1');
    const put = await call(`${url}/kv/default/flags/a`, { method: 'PUT', body: '2' });
    expect(put.status).toBe(403);
    const error = put.json<{ code: string; message: string }>();
    expect(error.code).toBe('FORBIDDEN');
    // The cluster's words (its address, the missing rule) stay in the proxy's log.
    expect(error.message).toMatch(/^The proxy's Kubernetes identity may not do this; .*proxy's log/);
    expect(put.text).not.toMatch(/verbs|configmaps|127\.0\.0\.1|https?:\/\//);
    expect(put.json<{ requestId: string }>().requestId).toBe(put.headers.get('x-request-id'));
    const seed = await call(`${url}/kv/default/flags`, {
      method: 'POST',
      body: '{"b":"2"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seed.status).toBe(403);
    expect(cluster.get('configmap', 'flags')?.data).toEqual({ a: '1' });
  });
});

describe('kv-proxy with AUTH_MODE=tokenreview', () => {
  it('authenticates ServiceAccount tokens and lets RBAC decide each request', async () => {
    const url = await proxy({ AUTH_MODE: 'tokenreview' });
    const as = (token: string) => ({ authorization: `Bearer ${token}` });
    const read = await call(`${url}/kv/default/flags/a`, { auth: false, headers: as('alice-token-123456') });
    expect([read.status, read.text]).toEqual([200, '1']);
    const write = await call(`${url}/kv/default/flags/a`, {
      method: 'PUT',
      body: '9',
      auth: false,
      headers: as('alice-token-123456'),
    });
    expect(write.status).toBe(403);
    expect(write.json<{ message: string }>().message).toMatch(
      /User "alice" may not update configmaps "flags" in namespace "default"/,
    );
    const other = await call(`${url}/kv/default/flags/a`, { auth: false, headers: as('bob-token-123456') });
    expect(other.status).toBe(403);
    const unknown = await call(`${url}/kv/default/flags/a`, { auth: false, headers: as('not-a-token') });
    expect([unknown.status, unknown.json<{ code: string }>().code]).toEqual([401, 'INVALID_TOKEN']);
    expect(cluster.get('configmap', 'flags')?.data).toEqual({ a: '1' });
  });
});

describe('kv-proxy with AUTH_MODE=none', () => {
  it('serves without credentials and says loudly that it does', async () => {
    const { NO_AUTH_WARNING } = await import('../src/server.js');
    expect(NO_AUTH_WARNING).toMatch(/never deploy/);
    const url = await proxy({ AUTH_MODE: 'none' });
    expect((await call(`${url}/kv/default/flags/a`, { auth: false })).status).toBe(200);
  });
});
