import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
const proxies: RunningProxy[] = [];
const clients: AbortController[] = [];

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'late' } });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.abort();
  for (const running of proxies.splice(0)) await running.close();
  cluster.faults.clear();
});
afterAll(() => cluster?.close());

async function proxy(env: Record<string, string>): Promise<string> {
  const running = await startProxy(cluster, { RATE_LIMIT_RPS: '1000', RATE_LIMIT_BURST: '1000', ...env });
  proxies.push(running);
  return running.url;
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Opens an SSE stream; resolves with its status once the headers arrive. */
async function stream(url: string): Promise<{ status: number; body: string; close(): void }> {
  const client = new AbortController();
  clients.push(client);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${API_KEY}` },
    signal: client.signal,
  });
  const body = response.status === 200 ? '' : await response.text();
  return { status: response.status, body, close: () => client.abort() };
}

async function gauge(url: string, name: string): Promise<number> {
  const metrics = await call(`${url}/metrics`);
  return Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(metrics.text)?.[1] ?? Number.NaN);
}

describe('kv-proxy SSE stream limits', () => {
  it('refuses a caller past its streams with 429 and a JSON error, and frees the slot when it leaves', async () => {
    const url = await proxy({ SSE_MAX_STREAMS_PER_CALLER: '2' });
    const first = await stream(`${url}/watch/default/kv-proxy?prefix=a`);
    const second = await stream(`${url}/watch/default/kv-proxy?prefix=b`);
    expect([first.status, second.status]).toEqual([200, 200]);
    const third = await stream(`${url}/watch/default/kv-proxy?prefix=c`);
    expect(third.status).toBe(429);
    expect(JSON.parse(third.body)).toMatchObject({ code: 'TOO_MANY_STREAMS_FOR_CALLER' });
    first.close();
    await until('the slot to be freed', async () => (await gauge(url, 'kv_proxy_sse_slots')) === 1);
    expect((await stream(`${url}/watch/default/kv-proxy?prefix=c`)).status).toBe(200);
  });

  it('refuses more streams on one bucket and prefix than allowed, and more in total with 503', async () => {
    const url = await proxy({ SSE_MAX_STREAMS_PER_KEY: '1', SSE_MAX_STREAMS: '2' });
    expect((await stream(`${url}/watch/default/kv-proxy?prefix=x`)).status).toBe(200);
    const same = await stream(`${url}/watch/default/kv-proxy?prefix=x`);
    expect([same.status, JSON.parse(same.body).code]).toEqual([429, 'TOO_MANY_STREAMS_FOR_KEY']);
    expect((await stream(`${url}/watch/default/kv-proxy?prefix=y`)).status).toBe(200);
    const full = await stream(`${url}/watch/default/kv-proxy?prefix=z`);
    expect([full.status, JSON.parse(full.body).code]).toEqual([503, 'TOO_MANY_STREAMS']);
  });

  it('frees the slot of a client that leaves while its bucket is still syncing', async () => {
    cluster.faults.error({ status: 500, verb: 'list', resource: 'configmaps', namespace: 'late' });
    const url = await proxy({ KV_NAMESPACES: 'default,late', SSE_MAX_STREAMS_PER_CALLER: '1' });
    const leaving = new AbortController();
    const pending = fetch(`${url}/watch/late/kv-proxy`, {
      headers: { authorization: `Bearer ${API_KEY}` },
      signal: leaving.signal,
    }).catch(() => undefined);
    await until(
      'the waiting stream to hold a slot',
      async () => (await gauge(url, 'kv_proxy_sse_slots')) === 1,
    );
    leaving.abort();
    await pending;
    await until(
      'the slot to be freed before any sync',
      async () => (await gauge(url, 'kv_proxy_sse_slots')) === 0,
    );
    expect((await call(`${url}/readyz`, { auth: false })).status).toBe(503);
    expect((await stream(`${url}/watch/default/kv-proxy`)).status).toBe(200);
  });
});

describe('kv-proxy open buckets', () => {
  it('closes the least recently used idle buckets past MAX_OPEN_BUCKETS, and keeps serving them', async () => {
    const url = await proxy({ MAX_OPEN_BUCKETS: '3', METRICS_MAX_BUCKETS: '2' });
    for (let i = 0; i < 8; i++) {
      const put = await call(`${url}/kv/default/many-${i}/k`, { method: 'PUT', body: `v${i}` });
      expect(put.status).toBe(200);
    }
    expect(await gauge(url, 'kv_proxy_open_buckets')).toBeLessThanOrEqual(3);
    expect(await gauge(url, 'kv_proxy_buckets_closed_for_room_total')).toBeGreaterThanOrEqual(5);
    for (let i = 0; i < 8; i++) expect((await call(`${url}/kv/default/many-${i}/k`)).text).toBe(`v${i}`);
    // /metrics: two buckets by name, the rest in one series.
    const lines = (await call(`${url}/metrics`)).text
      .split('\n')
      .filter((l) => l.startsWith('kv_proxy_bucket_keys{'));
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines.some((l) => l.includes('bucket="_other"'))).toBe(true);
  });

  it('answers 503 with a clear error when every open bucket is in use, and opens again once one is free', async () => {
    const url = await proxy({ MAX_OPEN_BUCKETS: '3' });
    // kv-proxy (opened at start) plus two buckets held by streams: no room.
    const held = [await stream(`${url}/watch/default/held-a`), await stream(`${url}/watch/default/held-b`)];
    expect(held.map((h) => h.status)).toEqual([200, 200]);
    const refused = await call(`${url}/kv/default/one-more/k`);
    expect(refused.status).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'TOO_MANY_BUCKETS' });
    expect(refused.headers.get('retry-after')).toBe('1');
    held[0]!.close();
    await until(
      'a bucket to be free',
      async () => (await call(`${url}/kv/default/one-more/k`)).status === 404,
    );
  });
});

describe('kv-proxy staleness headers', () => {
  it('says how fresh each read is, and stale during a silent watch', async () => {
    await cluster.close();
    cluster = await createMockCluster({ watch: { bookmarkIntervalMs: 5000, keepAliveMs: 50 } });
    await seedApiKey(cluster);
    const url = await proxy({ STALE_AFTER_MS: '1000', KV_BUCKETS: 'fresh' });
    expect((await call(`${url}/kv/default/fresh/k`, { method: 'PUT', body: 'v' })).status).toBe(200);
    const read = await call(`${url}/kv/default/fresh/k`);
    expect(read.headers.get('x-kubesmart-stale')).toBe('false');
    expect(Number(read.headers.get('x-kubesmart-age-ms'))).toBeGreaterThanOrEqual(0);
    const consistent = await call(`${url}/kv/default/fresh/k?consistent=true`);
    expect([
      consistent.headers.get('x-kubesmart-stale'),
      consistent.headers.get('x-kubesmart-age-ms'),
    ]).toEqual(['false', '0']);
    const stall = cluster.faults.stallWatches({ resource: 'configmaps' });
    await until(
      'a read to say stale',
      async () => (await call(`${url}/kv/default/fresh/k`)).headers.get('x-kubesmart-stale') === 'true',
    );
    const seed = await call(`${url}/kv/default/fresh`);
    expect(seed.headers.get('x-kubesmart-stale')).toBe('true');
    expect(Number(seed.headers.get('x-kubesmart-age-ms'))).toBeGreaterThan(1000);
    stall.remove();
    // The stalled stream stays silent until it is replaced (here: ended by the server).
    cluster.faults.dropWatches({ resource: 'configmaps' });
    await until(
      'reads to be fresh again',
      async () => (await call(`${url}/kv/default/fresh/k`)).headers.get('x-kubesmart-stale') === 'false',
    );
  });
});

describe('kv-proxy error bodies', () => {
  it('never carry the API server address: a failing cluster gives a short message and a request id', async () => {
    const url = await proxy({});
    cluster.faults.error({
      status: 500,
      message: `internal failure at ${cluster.url}`,
      verb: 'get',
      resource: 'configmaps',
    });
    const failed = await call(`${url}/kv/default/kv-proxy/k?consistent=true`);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const body = failed.json<{ message: string; requestId: string }>();
    expect(body.requestId).toBe(failed.headers.get('x-request-id'));
    expect(failed.text).not.toContain(new URL(cluster.url).host);
    expect(failed.text).not.toMatch(/https?:\/\//);
  });
});

describe('kv-proxy metrics token and public docs', () => {
  it('serves /metrics to METRICS_TOKEN only when one is set, and /docs openly with DOCS_PUBLIC', async () => {
    const token = 'metrics-token-0123456789';
    const url = await proxy({ METRICS_TOKEN: token, DOCS_PUBLIC: '1' });
    const scraped = await call(`${url}/metrics`, {
      auth: false,
      headers: { authorization: `Bearer ${token}` },
    });
    expect([scraped.status, scraped.text]).toEqual([200, expect.stringContaining('kv_proxy_sse_slots')]);
    const withKey = await call(`${url}/metrics`);
    expect([withKey.status, withKey.json<{ code: string }>().code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await call(`${url}/metrics`, { auth: false })).status).toBe(401);
    expect((await call(`${url}/docs/json`, { auth: false })).status).toBe(200);
    expect((await call(`${url}/kv/default/kv-proxy/k`, { auth: false })).status).toBe(401);
  });
});

describe('kv-proxy bucket names', () => {
  it('refuses names the API server would refuse with 400 before anything is opened or written', async () => {
    const url = await proxy({});
    const openBefore = await gauge(url, 'kv_proxy_open_buckets');
    for (const name of ['z..z', 'a.-b', 'UPPER', 'x'.repeat(64), 'flags.kv-1']) {
      const put = await call(`${url}/kv/default/${name}/k`, { method: 'PUT', body: 'v' });
      expect([name, put.status, put.json<{ code: string }>().code]).toEqual([name, 400, 'INVALID_ARGUMENT']);
      const head = await call(`${url}/watch/default/${name}`, { method: 'HEAD' });
      expect([name, head.status, head.text]).toEqual([name, 400, '']);
    }
    expect(await gauge(url, 'kv_proxy_open_buckets')).toBe(openBefore);
    const names = (cluster.list('configmaps', 'default') as { metadata: { name: string } }[]).map(
      (o) => o.metadata.name,
    );
    expect(names.filter((n) => n.includes('z..z') || n.includes('UPPER'))).toEqual([]);
  });
});

describe('kv-proxy METRICS_PORT', () => {
  it('serves /metrics only on its own port, without credentials', async () => {
    const running = await startProxy(cluster, { METRICS_PORT: '0' });
    proxies.push(running);
    const metricsApp = running.proxy.metricsApp!;
    const address = await metricsApp.listen({ host: '127.0.0.1', port: 0 });
    const scraped = await call(`${address}/metrics`, { auth: false });
    expect([scraped.status, scraped.headers.get('x-content-type-options')]).toEqual([200, 'nosniff']);
    expect(scraped.text).toMatch(/kv_proxy_open_buckets \d+/);
    expect((await call(`${address}/kv/default/kv-proxy/k`, { auth: false })).status).toBe(404);
    expect((await call(`${running.url}/metrics`)).status).toBe(404);
  });
});
