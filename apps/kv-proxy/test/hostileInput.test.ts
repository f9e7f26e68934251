import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
let running: RunningProxy;
let base: string;

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  running = await startProxy(cluster, { KV_BUCKETS: 'protos', RATE_LIMIT_RPS: '1000' });
  base = running.url;
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
});

const text = { 'content-type': 'text/plain' };

describe('kv-proxy with keys named like Object.prototype members', () => {
  it('stores __proto__ and keeps it when another key is written, in both APIs', async () => {
    expect(
      (await call(`${base}/kv/default/protos/__proto__`, { method: 'PUT', body: 'p', headers: text })).status,
    ).toBe(200);
    expect(
      (await call(`${base}/kv/default/protos/other`, { method: 'PUT', body: 'o', headers: text })).status,
    ).toBe(200);
    const one = await call(`${base}/kv/default/protos/__proto__`);
    expect([one.status, one.text]).toEqual([200, 'p']);
    const all = await call(`${base}/kv/default/protos`);
    expect(all.status).toBe(200);
    expect(Object.hasOwn(all.json<object>(), '__proto__')).toBe(true);
    expect(Object.keys(all.json<object>()).sort()).toEqual(['__proto__', 'other']);
    const stored = cluster.get('configmap', 'protos')?.data as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['__proto__', 'other']);
  });

  it('merges a JSON object naming __proto__ and constructor as keys', async () => {
    const answer = await call(`${base}/kv/default/protos`, {
      method: 'POST',
      body: '{"__proto__":"x","constructor":"c"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(200);
    expect(answer.json<Record<string, string>>()).toEqual(
      JSON.parse('{"__proto__":"x","constructor":"c","other":"o"}'),
    );
    const stored = cluster.get('configmap', 'protos')?.data as Record<string, string>;
    expect(Object.keys(stored).sort()).toEqual(['__proto__', 'constructor', 'other']);
    expect(stored.constructor).toBe('c');
  });
});
