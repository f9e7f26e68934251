import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { type RunningRedis, startRedis } from '@kubesmart/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, get, startHub, until } from './hubHarness.js';

let cluster: MockCluster;
let redis: RunningRedis;

beforeAll(async () => {
  cluster = await createMockCluster();
  redis = await startRedis();
});

afterAll(async () => {
  await cluster?.close();
  await redis?.stop();
});

describe('rate limits per API key', () => {
  it('answers 429 with Retry-After and RateLimit headers once a key spends its minute, per key', async () => {
    const hub = await startHub(cluster, { RATE_LIMIT_REQUESTS_PER_MINUTE: '3' });
    try {
      const key = await apiKey(hub.hub, 'limited');
      const other = await apiKey(hub.hub, 'other');
      const answers = [];
      for (let i = 0; i < 4; i += 1) answers.push(await get(`${hub.url}/api/v3.0/cluster/health`, key));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[0]!.headers.get('ratelimit-limit')).toBe('3');
      expect(answers[0]!.headers.get('ratelimit-remaining')).toBe('2');
      const limited = answers[3]!;
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({ error: 'Too Many Requests', code: 'RATE_LIMITED' });
      expect(limited.json().message).toContain('more than 3 requests per minute');
      expect((await get(`${hub.url}/api/v3.0/cluster/health`, other)).status).toBe(200);
      expect((await get(`${hub.url}/healthz`)).status).toBe(200);
      for (let i = 0; i < 5; i += 1) expect((await get(`${hub.url}/readyz`)).status).toBe(200);
    } finally {
      await hub.close();
    }
  });

  it('with REDIS_URL the limit holds across two replicas', async () => {
    const env = { RATE_LIMIT_REQUESTS_PER_MINUTE: '4', REDIS_URL: redis.url };
    const a = await startHub(cluster, env);
    const b = await startHub(cluster, env);
    try {
      const key = await apiKey(a.hub, 'shared');
      await until(() => b.hub.keys.verify(key).ok, 'the second replica to see the key');
      const statuses = [];
      for (const hub of [a, b, a, b, a, b])
        statuses.push((await get(`${hub.url}/api/v3.0/cluster/health`, key)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('without Redis each replica counts alone (as the README says)', async () => {
    const env = { RATE_LIMIT_REQUESTS_PER_MINUTE: '2' };
    const a = await startHub(cluster, env);
    const b = await startHub(cluster, env);
    try {
      const key = await apiKey(a.hub, 'alone');
      await until(() => b.hub.keys.verify(key).ok, 'the second replica to see the key');
      const statuses = [];
      for (const hub of [a, a, b, b, a])
        statuses.push((await get(`${hub.url}/api/v3.0/cluster/health`, key)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('RATE_LIMIT_ENABLED=false serves without limits', async () => {
    const hub = await startHub(cluster, { RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_REQUESTS_PER_MINUTE: '1' });
    try {
      const key = await apiKey(hub.hub, 'free');
      for (let i = 0; i < 3; i += 1)
        expect((await get(`${hub.url}/api/v3.0/cluster/health`, key)).status).toBe(200);
    } finally {
      await hub.close();
    }
  });

  it('refuses an address after too many failed authentications, before checking its key', async () => {
    const hub = await startHub(cluster, {
      AUTH_FAILURES_PER_MINUTE: '3',
      RATE_LIMIT_REQUESTS_PER_MINUTE: '1000',
    });
    try {
      const key = await apiKey(hub.hub, 'guessed');
      const statuses = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push(
          (await get(`${hub.url}/api/v3.0/cluster/health`, `ksh_0123456789abcdef_${'g'.repeat(43)}`)).status,
        );
      const blocked = await get(`${hub.url}/api/v3.0/cluster/health`, key);
      expect([...statuses, blocked.status]).toEqual([401, 401, 401, 429]);
      expect(blocked.json().code).toBe('TOO_MANY_FAILURES');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await hub.close();
    }
  });
});
