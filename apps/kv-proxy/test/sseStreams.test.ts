import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
let running: RunningProxy;

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } });
  // The buckets of namespace "late" cannot sync until the fault is removed.
  cluster.faults.error({ status: 500, verb: 'list', resource: 'configmaps', namespace: 'late' });
  running = await startProxy(cluster, { KV_NAMESPACES: 'default,late', RATE_LIMIT_RPS: '1000' });
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
});

async function openStreams(): Promise<number> {
  const metrics = await call(`${running.url}/metrics`);
  expect(metrics.status).toBe(200);
  return Number(/^kv_proxy_sse_streams (\d+)$/m.exec(metrics.text)?.[1] ?? Number.NaN);
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('kv-proxy SSE streams', () => {
  it('holds no subscription for a client that left before the bucket synced', async () => {
    const leaving = new AbortController();
    const watch = fetch(`${running.url}/watch/late/kv-proxy`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      signal: leaving.signal,
    }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    leaving.abort();
    await watch;
    cluster.faults.clear();
    await until('the late bucket to sync', async () => (await call(`${running.url}/readyz`)).status === 200);
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kv-proxy', namespace: 'late' },
    });
    expect(await openStreams()).toBe(0);
  });

  it('counts an open stream until its client leaves', async () => {
    const client = new AbortController();
    const response = await fetch(`${running.url}/watch/default/kv-proxy`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      signal: client.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    await until('the stream to be counted', async () => (await openStreams()) === 1);
    client.abort();
    await until('the stream to be released', async () => (await openStreams()) === 0);
  });

  it('answers HEAD with the headers only, opening no stream', async () => {
    const head = await call(`${running.url}/watch/default/kv-proxy`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(head.text).toBe('');
    expect(await openStreams()).toBe(0);
  });
});
