import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { type RunningRedis, startRedis } from '@kubesmart/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
let redis: RunningRedis;

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  redis = await startRedis();
});

afterAll(async () => {
  await cluster?.close();
  await redis?.stop();
});

const limits = { RATE_LIMIT_RPS: '1', RATE_LIMIT_BURST: '20', KV_BUCKETS: 'limits' };

async function statuses(url: string, count: number): Promise<number[]> {
  const answers: number[] = [];
  for (let i = 0; i < count; i++) answers.push((await call(`${url}/kv/default/limits`)).status);
  return answers;
}

describe('kv-proxy rate limit with REDIS_URL', () => {
  it('holds one budget per caller across two proxies', async () => {
    const a = await startProxy(cluster, { ...limits, REDIS_URL: redis.url });
    const b = await startProxy(cluster, { ...limits, REDIS_URL: redis.url });
    try {
      const first = await statuses(a.url, 20);
      expect(first.every((s) => s === 200)).toBe(true);
      // The burst is spent on a: b refuses at once, letting through only what refilled since.
      const refused = await call(`${b.url}/kv/default/limits`);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
      const second = await statuses(b.url, 19);
      expect(second.filter((s) => s === 200).length).toBeLessThan(19);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('without Redis each proxy counts alone', async () => {
    const a = await startProxy(cluster, limits);
    const b = await startProxy(cluster, limits);
    try {
      expect((await statuses(a.url, 20)).every((s) => s === 200)).toBe(true);
      expect((await statuses(b.url, 20)).every((s) => s === 200)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('serves when Redis cannot be reached rather than refusing every caller', async () => {
    const lost = await startRedis();
    await lost.stop();
    const a = await startProxy(cluster, { ...limits, REDIS_URL: lost.url });
    try {
      expect((await statuses(a.url, 3)).every((s) => s === 200)).toBe(true);
    } finally {
      await a.close();
    }
  });
});
