import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { ClosedError } from '../errors.js';
import { KubeClient } from './kubeClient.js';
import type { KubeObject } from './kubeObject.js';
import { WatchCache, type WatchCacheOptions } from './watchCache.js';
import type { ReconnectInfo } from './watchCacheOptions.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };
let cluster: MockCluster;
let client: KubeClient;
const caches: WatchCache[] = [];

beforeAll(async () => {
  cluster = await createMockCluster();
  client = new KubeClient({ kubeConfig: cluster.kubeConfig });
});
afterEach(() => {
  for (const cache of caches.splice(0)) cache.close();
  cluster.faults.clear();
});
afterAll(async () => {
  client.close();
  await cluster.close();
});

/** A cache of the ConfigMaps labelled `suite=<label>`, with fast retries. */
function cacheOf(label: string, options: Partial<WatchCacheOptions> = {}): WatchCache {
  const cache = new WatchCache({
    client,
    scope: { resource: CONFIGMAPS, namespace: 'default', labelSelector: `suite=${label}` },
    initialBackoffMs: 20,
    maxBackoffMs: 200,
    ...options,
  });
  caches.push(cache);
  return cache;
}

function write(label: string, name: string, value: string): Promise<KubeObject[]> {
  return cluster.apply({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: 'default', labels: { suite: label } },
    data: { value },
  });
}

const fingerprint = (objects: KubeObject[]): string[] =>
  objects.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();

/** True when the cache holds exactly what the server has for the label. */
function equalsServer(cache: WatchCache, label: string): boolean {
  const server = cluster.list('configmaps', 'default', { labelSelector: `suite=${label}` }) as KubeObject[];
  return JSON.stringify(fingerprint(cache.items())) === JSON.stringify(fingerprint(server));
}

describe('WatchCache', () => {
  it('lists page by page, then follows adds, updates and deletes', async () => {
    for (let i = 0; i < 5; i += 1) await write('basic', `basic-${i}`, 'a');
    const cache = cacheOf('basic', { pageSize: 2 });
    const seen: string[] = [];
    cache.on('add', (o) => seen.push(`add ${o.metadata?.name}`));
    cache.on('update', (o) => seen.push(`update ${o.metadata?.name}`));
    cache.on('delete', (o) => seen.push(`delete ${o.metadata?.name}`));
    await cache.waitForSync({ timeoutMs: 5000 });
    expect(cache.items()).toHaveLength(5);
    expect(cache.status()).toMatchObject({ synced: true, stale: false, mode: 'watch', lists: 1 });

    await write('basic', 'basic-new', 'a');
    await write('basic', 'basic-0', 'b');
    cluster.delete('configmaps', 'basic-1', 'default');
    await waitFor('the cache to follow', () => equalsServer(cache, 'basic'));
    expect(seen).toEqual(expect.arrayContaining(['add basic-new', 'update basic-0', 'delete basic-1']));
    expect(cache.get('default', 'basic-0')?.data).toEqual({ value: 'b' });
    expect(cache.status().events).toBeGreaterThanOrEqual(3);
  });

  it('equals the server after an API server restart, with writes made after it', async () => {
    await write('restart', 'r-1', 'a');
    const cache = cacheOf('restart');
    await cache.waitForSync({ timeoutMs: 5000 });
    await cluster.restart();
    await write('restart', 'r-2', 'a');
    await write('restart', 'r-1', 'b');
    await waitFor(
      'the cache to catch up',
      () => equalsServer(cache, 'restart') && cache.items().length === 2,
    );
    expect(cache.status().reconnects).toBeGreaterThanOrEqual(1);
  });

  it('reconnects a stalled watch and catches up on writes made meanwhile', async () => {
    const cache = cacheOf('stall', { stallTimeoutMs: 200 });
    await cache.waitForSync({ timeoutMs: 5000 });
    const errors: unknown[] = [];
    cache.on('error', (error) => errors.push(error));
    const stall = cluster.faults.stallWatches({ resource: 'configmaps' });
    await write('stall', 's-1', 'written while stalled');
    await waitFor('a stall to be noticed', () => cache.status().stale);
    stall.remove();
    await waitFor('the cache to catch up', () => equalsServer(cache, 'stall') && cache.items().length === 1);
    await waitFor('freshness', () => !cache.status().stale);
    expect(errors.some((e) => (e as { details?: { stalled?: boolean } }).details?.stalled)).toBe(true);
  });

  it('lists again when its resourceVersion expires, counting the relist', async () => {
    const cache = cacheOf('expire');
    await cache.waitForSync({ timeoutMs: 5000 });
    const relists: unknown[] = [];
    cache.on('relist', (reason) => relists.push(reason));
    cluster.faults.expireNextWatch({ resource: 'configmaps' });
    await write('expire', 'e-1', 'a');
    cluster.faults.dropWatches({ resource: 'configmaps' });
    await waitFor('a relist', () => cache.status().relists >= 1);
    await write('expire', 'e-2', 'a');
    await waitFor('the cache to catch up', () => equalsServer(cache, 'expire') && cache.items().length === 2);
    expect(relists.length).toBeGreaterThanOrEqual(1);
    expect(cache.status().lists).toBeGreaterThanOrEqual(2);
  });

  it('waits what a 429 on the watch asks (Retry-After) before watching again', async () => {
    const cache = cacheOf('throttle');
    await cache.waitForSync({ timeoutMs: 5000 });
    const reconnects: ReconnectInfo[] = [];
    cache.on('reconnect', (info) => reconnects.push(info));
    cluster.faults.error({
      status: 429,
      retryAfterSeconds: 1,
      verb: 'watch',
      resource: 'configmaps',
      times: 1,
    });
    cluster.faults.dropWatches({ resource: 'configmaps' });
    // The dropped watch ended early (one reconnect), then the re-watch was answered 429.
    const throttled = await waitFor('a reconnect after the 429', () =>
      reconnects.find((r) => r.error.details?.status === 429),
    );
    expect(throttled.delayMs).toBeGreaterThanOrEqual(1000);
    expect(throttled.error.details).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    await write('throttle', 't-1', 'a');
    await waitFor(
      'the cache to catch up',
      () => equalsServer(cache, 'throttle') && cache.items().length === 1,
    );
  });

  it('retries a failing list with backoff until it syncs', async () => {
    await write('list500', 'l-1', 'a');
    cluster.faults.error({ status: 500, verb: 'list', resource: 'configmaps', times: 2 });
    const cache = cacheOf('list500');
    await cache.waitForSync({ timeoutMs: 5000 });
    expect(cache.status()).toMatchObject({ synced: true, errors: 2, reconnects: 2 });
    expect(equalsServer(cache, 'list500')).toBe(true);
  });

  it('is stale while connections are refused, then equals the server with the writes made meanwhile', async () => {
    await write('refuse', 'f-1', 'a');
    const cache = cacheOf('refuse');
    await cache.waitForSync({ timeoutMs: 5000 });
    const staleChanges: boolean[] = [];
    cache.on('stale', (stale) => staleChanges.push(stale));
    const refusing = cluster.faults.refuseConnections(600);
    await waitFor('the cache to go stale', () => cache.status().stale);
    await write('refuse', 'f-2', 'written while down');
    cluster.delete('configmaps', 'f-1', 'default');
    await refusing;
    await waitFor('the cache to catch up', () => equalsServer(cache, 'refuse') && cache.items().length === 1);
    await waitFor('freshness', () => !cache.status().stale);
    expect(staleChanges).toEqual([true, false]);
    expect(cache.status().lastError?.code).toBe('KUBE_API_UNAVAILABLE');
  });

  it('polls where watch is forbidden, with the same API', async () => {
    cluster.access.addUser({
      name: 'no-watch',
      token: 'no-watch-token',
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    const limited = new KubeClient({ kubeConfig: cluster.kubeConfigFor('no-watch') });
    try {
      await write('poll', 'p-1', 'a');
      const cache = cacheOf('poll', { client: limited, pollIntervalMs: 50 });
      await cache.waitForSync({ timeoutMs: 5000 });
      await waitFor('poll mode', () => cache.status().mode === 'poll');
      await write('poll', 'p-2', 'a');
      await write('poll', 'p-1', 'b');
      await waitFor(
        'the poll to see the writes',
        () => equalsServer(cache, 'poll') && cache.items().length === 2,
      );
      expect(cache.get('default', 'p-1')?.data).toEqual({ value: 'b' });
    } finally {
      limited.close();
    }
  });

  it('stops every request on close and rejects a pending waitForSync', async () => {
    const stall = cluster.faults.latency(300, { verb: 'list', resource: 'configmaps' });
    const cache = cacheOf('close');
    const waiting = cache.waitForSync();
    cache.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    stall.remove();
    const before = client.stats();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.stats()).toEqual(before);
  });
});
