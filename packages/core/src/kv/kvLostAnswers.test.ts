import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from '../../test/cuttingProxy.js';
import { testContext } from '../../test/kvContext.js';
import { KvBucket } from './kvBucket.js';

let cluster: MockCluster;
let proxy: CuttingProxy;
let context: ReturnType<typeof testContext>;
const buckets: KvBucket[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ tls: false });
  proxy = await startCuttingProxy(cluster.url);
  context = testContext(proxy.kubeConfig);
});
afterEach(() => {
  for (const bucket of buckets.splice(0)) bucket.close();
  proxy.decide = () => 'pass';
});
afterAll(async () => {
  context.close();
  await proxy.close();
  await cluster.close();
});

function bucket(name: string): KvBucket {
  const made = new KvBucket({ name, context });
  buckets.push(made);
  return made;
}

/** Cuts the answer of every `every`-th write (PUT or POST) after the server has applied it. */
function cutEveryNthWrite(every: number): void {
  let writes = 0;
  proxy.decide = (req) => {
    if (req.method !== 'PUT' && req.method !== 'POST') return 'pass';
    writes += 1;
    return writes % every === 0 ? 'cut' : 'pass';
  };
}

/** What a careful caller does: retry a failed call a few times. */
async function withRetries<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      if (attempt >= 5) throw error;
    }
  }
}

describe('KV writes whose answer is lost', () => {
  it('counts every increment exactly once when answers of committed writes are cut', async () => {
    const counters = bucket('lost-answers');
    await counters.set('n', '0');
    const cutsBefore = proxy.counts.cut;
    cutEveryNthWrite(7);
    const writers = 3;
    const increments = 40;
    let failures = 0;
    await Promise.all(
      Array.from({ length: writers }, async () => {
        for (let i = 0; i < increments; i += 1) {
          await withRetries(async () => {
            try {
              return await counters.update('n', (old) => String(Number(old ?? '0') + 1));
            } catch (error) {
              failures += 1;
              throw error;
            }
          });
        }
      }),
    );
    proxy.decide = () => 'pass';
    expect(proxy.counts.cut - cutsBefore).toBeGreaterThan(5);
    expect(failures).toBe(0);
    expect((await counters.get('n', { consistent: true }))?.value).toBe(String(writers * increments));
    expect(cluster.get('configmap', 'lost-answers')?.data).toEqual({ n: String(writers * increments) });
  });

  it('reports the version of a create whose answer was cut, and does not apply it twice', async () => {
    const flags = bucket('lost-create');
    cutEveryNthWrite(1);
    const version = await flags.update('count', (old) => String(Number(old ?? '0') + 1));
    proxy.decide = () => 'pass';
    const stored = cluster.get('configmap', 'lost-create');
    expect(stored?.data).toEqual({ count: '1' });
    expect(version).toEqual({ value: '1', version: stored?.metadata.resourceVersion });
  });
});
