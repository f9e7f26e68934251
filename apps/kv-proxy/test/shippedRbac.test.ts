import { readFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { createMockCluster, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

// The proxy runs with exactly the manifests of deploy/ as the emulator stores them: the Role of
// rbac.yaml, the bucket ConfigMaps of buckets.yaml and the environment of kv-proxy.yaml's Deployment.
const deploy = (file: string): URL => new URL(`../deploy/${file}`, import.meta.url);
const TOKEN = 'kv-proxy-sa-token-123456';

let cluster: MockCluster;
let running: RunningProxy;
let buckets: string[];

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  for (const file of ['rbac.yaml', 'buckets.yaml', 'kv-proxy.yaml'])
    await cluster.apply(await readFile(deploy(file), 'utf8'));
  const role = cluster.get('role', 'kv-proxy', 'default') as unknown as { rules: PolicyRule[] };
  cluster.access.addUser({ name: 'kv-proxy-sa', token: TOKEN, rules: role.rules });
  const deployment = cluster.get('deployment', 'kv-proxy', 'default') as unknown as {
    spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
  };
  const env = Object.fromEntries(
    deployment.spec.template.spec.containers[0]!.env.flatMap((e) =>
      e.value === undefined ? [] : [[e.name, e.value]],
    ),
  );
  buckets = (env.KV_BUCKETS ?? '').split(',');
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'other-secret' },
    stringData: { x: 'y' },
  });
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'other-config' },
    data: { x: 'y' },
  });
  running = await startProxy(cluster, { ...env, RATE_LIMIT_RPS: '1000' }, 'kv-proxy-sa');
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
});

/** One request to the emulator as the proxy's ServiceAccount; resolves with the status. */
function asProxy(path: string, method = 'GET', body?: string): Promise<number> {
  const server = new URL(cluster.url);
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host: server.hostname,
        port: server.port,
        path,
        method,
        ca: cluster.caCertPem,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        res.destroy();
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('kv-proxy under the manifests it ships (deploy/)', () => {
  it('is ready, and serves reads, writes and watches of every shipped bucket', async () => {
    expect(buckets).toEqual(['feature-flags', 'somekey']);
    const deadline = Date.now() + 20_000;
    let ready = await call(`${running.url}/readyz`, { auth: false });
    while (ready.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      ready = await call(`${running.url}/readyz`, { auth: false });
    }
    expect([ready.status, ready.text]).toEqual([200, expect.stringContaining('"ready"')]);
    for (const bucket of buckets) {
      const put = await call(`${running.url}/kv/default/${bucket}/mode`, {
        method: 'PUT',
        body: 'on',
        headers: { 'content-type': 'text/plain' },
      });
      expect([bucket, put.status]).toEqual([bucket, 200]);
      const got = await call(`${running.url}/kv/default/${bucket}/mode`);
      expect([got.status, got.text, got.headers.get('x-kubesmart-stale')]).toEqual([200, 'on', 'false']);
    }
    const seed = await call(`${running.url}/kv/default/feature-flags`, {
      method: 'POST',
      body: '{"beta":"yes"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(seed.json()).toEqual({ beta: 'yes', mode: 'on' });
    const watch = await fetch(`${running.url}/watch/default/somekey`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    expect(watch.status).toBe(200);
    await watch.body?.cancel();
    expect((await call(`${running.url}/kv/default/other-config/x`)).status).toBe(404);
    expect((await call(`${running.url}/kv/default/feature-flags/mode`, { auth: false })).status).toBe(401);
  });

  it('gives that identity its buckets and API key Secret, by name, and nothing more', async () => {
    const configmaps = '/api/v1/namespaces/default/configmaps';
    const secrets = '/api/v1/namespaces/default/secrets';
    const allowed = [
      `${configmaps}?fieldSelector=metadata.name%3Dfeature-flags`,
      `${configmaps}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dsomekey`,
      `${configmaps}/feature-flags`,
      `${secrets}?fieldSelector=metadata.name%3Dkv-proxy-api-keys`,
      `${secrets}?watch=true&timeoutSeconds=1&fieldSelector=metadata.name%3Dkv-proxy-api-keys`,
    ];
    for (const path of allowed) expect([path, await asProxy(path)]).toEqual([path, 200]);
    const cm = (name: string): string =>
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
    const forbidden: [string, string, string?][] = [
      ['GET', configmaps],
      ['GET', `${configmaps}?watch=true&timeoutSeconds=1`],
      ['GET', `${configmaps}?fieldSelector=metadata.name%3Dother-config`],
      ['GET', `${configmaps}/other-config`],
      ['PUT', `${configmaps}/other-config`, cm('other-config')],
      ['POST', configmaps, cm('new-bucket')],
      ['DELETE', `${configmaps}/feature-flags`],
      ['GET', secrets],
      ['GET', `${secrets}?fieldSelector=metadata.name%3Dother-secret`],
      ['GET', `${secrets}/other-secret`],
    ];
    for (const [method, path, body] of forbidden)
      expect([method, path, await asProxy(path, method, body)]).toEqual([method, path, 403]);
    expect(cluster.get('configmap', 'new-bucket')).toBeUndefined();
    expect(cluster.get('configmap', 'feature-flags')).toBeDefined();
  });
});
