import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createMockCluster, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

// The proxy runs with exactly the Role of deploy/rbac.yaml, as the emulator stores it.
const rbacYaml = new URL('../deploy/rbac.yaml', import.meta.url);

let cluster: MockCluster;
let running: RunningProxy;

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  await cluster.apply(await readFile(rbacYaml, 'utf8'));
  const role = cluster.get('role', 'kv-proxy', 'default') as unknown as { rules: PolicyRule[] };
  cluster.access.addUser({ name: 'kv-proxy-sa', token: 'kv-proxy-sa-token-123456', rules: role.rules });
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'other-secret' },
    stringData: { x: 'y' },
  });
  running = await startProxy(cluster, { KV_BUCKETS: 'flags', RATE_LIMIT_RPS: '1000' }, 'kv-proxy-sa');
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
});

describe('kv-proxy under the Role it ships (deploy/rbac.yaml)', () => {
  it('serves reads and writes, reading its API keys through the name-limited Secret rule', async () => {
    const put = await call(`${running.url}/kv/default/flags/mode`, {
      method: 'PUT',
      body: 'on',
      headers: { 'content-type': 'text/plain' },
    });
    expect(put.status).toBe(200);
    const got = await call(`${running.url}/kv/default/flags/mode`);
    expect([got.status, got.text]).toEqual([200, 'on']);
    expect((await call(`${running.url}/kv/default/flags/mode`, { auth: false })).status).toBe(401);
  });

  it('lets that identity list and watch only its own Secret, by field selector, and nothing more', async () => {
    const server = new URL(cluster.url);
    const get = (path: string, init: { method?: string } = {}): Promise<number> =>
      new Promise((resolve, reject) => {
        const req = httpsRequest(
          {
            host: server.hostname,
            port: server.port,
            path,
            method: init.method ?? 'GET',
            ca: cluster.caCertPem,
            headers: { authorization: 'Bearer kv-proxy-sa-token-123456' },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
            res.destroy();
          },
        );
        req.on('error', reject);
        req.end();
      });
    const secrets = '/api/v1/namespaces/default/secrets';
    expect(await get(`${secrets}?fieldSelector=metadata.name%3Dkv-proxy-api-keys`)).toBe(200);
    expect(
      await get(`${secrets}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dkv-proxy-api-keys`),
    ).toBe(200);
    expect(await get(secrets)).toBe(403);
    expect(await get(`${secrets}?fieldSelector=metadata.name%3Dother-secret`)).toBe(403);
    expect(await get(`${secrets}/other-secret`)).toBe(403);
    expect(await get('/api/v1/namespaces/default/configmaps/flags', { method: 'DELETE' })).toBe(403);
  });
});
