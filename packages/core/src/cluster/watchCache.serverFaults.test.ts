import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CuttingProxy, startCuttingProxy } from '../../test/cuttingProxy.js';
import { waitFor } from '../../test/waitFor.js';
import { KubeClient } from './kubeClient.js';
import { WatchCache, type WatchCacheOptions } from './watchCache.js';
import type { ReconnectInfo } from './watchCacheOptions.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
let cluster: MockCluster;
let proxy: CuttingProxy;
let client: KubeClient;
const caches: WatchCache[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ tls: false });
  proxy = await startCuttingProxy(cluster.url);
  client = new KubeClient({ kubeConfig: proxy.kubeConfig });
});
afterEach(() => {
  for (const cache of caches.splice(0)) cache.close();
  cluster.faults.clear();
  proxy.decide = () => 'pass';
});
afterAll(async () => {
  client.close();
  await proxy.close();
  await cluster.close();
});

function cacheOf(
  label: string,
  options: Partial<WatchCacheOptions> & { namespace?: string } = {},
): WatchCache {
  const { namespace = 'default', ...settings } = options;
  const cache = new WatchCache({
    client,
    scope: { resource: CONFIGMAPS, namespace, labelSelector: `suite=${label}` },
    ...settings,
  });
  caches.push(cache);
  return cache;
}

function write(label: string, name: string): Promise<unknown> {
  return cluster.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels: { suite: label } },
    data: { value: name },
  });
}

const isWatch = (url: string | undefined): boolean => /[?&]watch=true/.test(url ?? '');

describe('WatchCache against a server that misbehaves', () => {
  it('backs off, counting reconnects, when every watch ends right after it is accepted', async () => {
    const cache = cacheOf('early', { initialBackoffMs: 20, maxBackoffMs: 160 });
    await cache.waitForSync({ timeoutMs: 10_000 });
    const reconnects: ReconnectInfo[] = [];
    cache.on('reconnect', (info) => reconnects.push(info));
    const watchesBefore = proxy.counts.endAtOnce;
    proxy.decide = (req) => (isWatch(req.url) ? 'endAtOnce' : 'pass');
    cluster.faults.dropWatches({ resource: 'configmaps' });
    await waitFor('six reconnects', () => reconnects.length >= 6);

    // Every watch that ended early was a failure: one reconnect each, with a growing delay.
    const ended = proxy.counts.endAtOnce - watchesBefore;
    expect(cache.status().reconnects).toBeGreaterThanOrEqual(ended - 1);
    expect(reconnects.slice(0, 6).map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const info of reconnects.slice(1, 6)) {
      const base = Math.min(160, 20 * 2 ** (info.attempt - 1));
      expect(info.delayMs).toBeGreaterThanOrEqual(base / 2);
      expect(info.delayMs).toBeLessThanOrEqual(base);
      expect(info.error.code).toBe('KUBE_API_UNAVAILABLE');
      expect(info.error.details).toMatchObject({ endedEarly: true });
    }

    proxy.decide = () => 'pass';
    await write('early', 'early-1');
    await waitFor('the cache to follow once watches stay open', () => cache.items().length === 1);
    await waitFor('freshness', () => !cache.status().stale);
  });

  it('caps a Retry-After of an hour so the cache keeps following the server', async () => {
    await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'throttled' } });
    const throttledOnce = async (cache: WatchCache, namespace: string): Promise<ReconnectInfo> => {
      await cache.waitForSync({ timeoutMs: 10_000 });
      const seen: ReconnectInfo[] = [];
      cache.on('reconnect', (info) => seen.push(info));
      cluster.faults.error({ status: 429, retryAfterSeconds: 3600, verb: 'watch', namespace, times: 1 });
      cluster.faults.dropWatches({ resource: 'configmaps', namespace });
      return waitFor('the 429 to be seen', () => seen.find((r) => r.error.details?.status === 429));
    };
    const capped = cacheOf('hour', { maxRetryAfterMs: 200, initialBackoffMs: 20, maxBackoffMs: 100 });
    const forCapped = await throttledOnce(capped, 'default');
    expect(forCapped.error.details).toMatchObject({ retryAfterSeconds: 3600 });
    expect(forCapped.delayMs).toBeLessThanOrEqual(200);
    await write('hour', 'hour-1');
    await waitFor('the capped cache to follow', () => capped.items().length === 1);

    const byDefault = cacheOf('hour', { namespace: 'throttled' });
    const forDefault = await throttledOnce(byDefault, 'throttled');
    expect(forDefault.delayMs).toBeLessThanOrEqual(60_000);
  });
});
