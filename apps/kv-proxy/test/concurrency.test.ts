import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

const WRITERS = 8;
const INCREMENTS = 500;

let cluster: MockCluster;
const proxies: RunningProxy[] = [];

beforeAll(async () => {
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  // Two proxy replicas, as a Deployment with 2 pods would run: writers race across processes too.
  for (let i = 0; i < 2; i++)
    proxies.push(await startProxy(cluster, { RATE_LIMIT_RPS: '100000', RATE_LIMIT_BURST: '100000' }));
});
afterAll(async () => {
  for (const proxy of proxies) await proxy.close();
  await cluster?.close();
});

/** Read, add one, write with If-Match; on 412 read again (from the API server) and retry. */
async function increment(url: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const read = await call(attempt === 0 ? url : `${url}?consistent=true`);
    const current = read.status === 404 ? 0 : Number(read.text);
    const headers: Record<string, string> =
      read.status === 404 ? {} : { 'if-match': read.headers.get('etag')! };
    if (read.status === 404) {
      // The first writer creates the key; If-Match cannot express "absent", so seed it before racing.
      throw new Error('the counter must exist before the race');
    }
    const write = await call(url, { method: 'PUT', body: String(current + 1), headers });
    if (write.status === 200) return attempt;
    if (write.status !== 412) throw new Error(`unexpected ${write.status}: ${write.text}`);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(10, 2 ** attempt)));
  }
}

describe('kv-proxy under concurrency', () => {
  it(`${WRITERS} writers x ${INCREMENTS} increments with If-Match retries end at exactly ${WRITERS * INCREMENTS}`, async () => {
    await call(`${proxies[0]!.url}/kv/default/counters/hits`, { method: 'PUT', body: '0' });
    let retries = 0;
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        const url = `${proxies[w % proxies.length]!.url}/kv/default/counters/hits`;
        for (let i = 0; i < INCREMENTS; i++) retries += await increment(url);
      }),
    );
    expect(cluster.get('configmap', 'counters')?.data).toEqual({ hits: String(WRITERS * INCREMENTS) });
    const final = await call(`${proxies[1]!.url}/kv/default/counters/hits?consistent=true`);
    expect(final.text).toBe(String(WRITERS * INCREMENTS));
    expect(retries).toBeGreaterThan(0);
  }, 240_000);
});
