import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { systemClock } from '../clock.js';
import type { Clock } from '../types.js';
import { KubeClient } from './kubeClient.js';
import { WatchCache, type WatchCacheOptions } from './watchCache.js';
import type { ReconnectInfo } from './watchCacheOptions.js';

const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

/** The system clock, whose `now()` a test can move ahead: timers keep real time. */
function clockWithOffset(): Clock & { offsetMs: number } {
  const clock = {
    offsetMs: 0,
    now: () => systemClock.now() + clock.offsetMs,
    setTimeout: systemClock.setTimeout,
    clearTimeout: systemClock.clearTimeout,
  };
  return clock;
}

let cluster: MockCluster;
let client: KubeClient;
const caches: WatchCache[] = [];

beforeAll(async () => {
  // Keep-alive newlines every 50 ms: a healthy watch is never quiet for long.
  cluster = await createMockCluster({ watch: { bookmarkIntervalMs: 5000, keepAliveMs: 50 } });
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

describe('WatchCache staleness', () => {
  it('says stale during a silent stall, long before the stall timeout reconnects it', async () => {
    const clock = clockWithOffset();
    const cache = cacheOf('silent', { clock, staleAfterMs: 10_000, stallTimeoutMs: 600_000 });
    await cache.waitForSync({ timeoutMs: 10_000 });

    // Healthy: however far time moves, the next keep-alive makes the cache fresh again.
    clock.offsetMs += 11_000;
    await waitFor('a keep-alive to count as hearing from the server', () => !cache.status().stale);
    expect(cache.status().lastHeardAgeMs).toBeLessThan(10_000);

    // Silent: no byte comes, so once more than staleAfterMs passed the cache no longer claims freshness.
    cluster.faults.stallWatches({ resource: 'configmaps' });
    await waitFor('the silence to be reported', () => {
      clock.offsetMs += 1000;
      return cache.stale() && cache.status().stale;
    });
    expect(cache.status().lastHeardAgeMs).toBeGreaterThan(10_000);
    // Nothing failed: the watch is still open, the stall timeout is far away.
    expect(cache.status().reconnects).toBe(0);
  });

  it('emits stale when the watch goes silent, and fresh when the server speaks again', async () => {
    const cache = cacheOf('events', { staleAfterMs: 1500, stallTimeoutMs: 600_000 });
    await cache.waitForSync({ timeoutMs: 10_000 });
    const staleEvents: boolean[] = [];
    cache.on('stale', (stale) => staleEvents.push(stale));
    cluster.faults.stallWatches({ resource: 'configmaps' });
    await waitFor('a stale event', () => staleEvents.includes(true));
    expect(cache.status()).toMatchObject({ stale: true, reconnects: 0 });
    cluster.faults.clear();
    // The stalled stream stays silent until it is replaced (here: ended by the server).
    await waitFor('the watch to be ended', () => cluster.faults.dropWatches({ resource: 'configmaps' }) > 0);
    await waitFor('a fresh event', () => staleEvents.at(-1) === false);
    expect(cache.stale()).toBe(false);
  });

  it('takes a watch a proxy ends after a minute as healthy, whatever timeoutSeconds it asked for', async () => {
    const clock = clockWithOffset();
    const before = client.stats().watches;
    const cache = cacheOf('minute', { clock, minWatchTimeoutSeconds: 600, maxWatchTimeoutSeconds: 600 });
    await cache.waitForSync({ timeoutMs: 10_000 });
    const reconnects: ReconnectInfo[] = [];
    cache.on('reconnect', (info) => reconnects.push(info));
    // The watch has started (its start time taken) once the client counts it.
    await waitFor('the watch to start', () => client.stats().watches > before);
    const watches = client.stats().watches;
    // The watch "lasted" 61 s of the 600 asked for when the proxy ends it.
    clock.offsetMs += 61_000;
    await waitFor('the watch to be ended', () => cluster.faults.dropWatches({ resource: 'configmaps' }) > 0);
    await waitFor('a new watch', () => client.stats().watches > watches);
    expect(reconnects).toEqual([]);
    expect(cache.status()).toMatchObject({ reconnects: 0, errors: 0 });
  });

  it('counts a watch that ends within seconds as a failure by default', async () => {
    const cache = cacheOf('seconds', { minWatchTimeoutSeconds: 600, maxWatchTimeoutSeconds: 600 });
    await cache.waitForSync({ timeoutMs: 10_000 });
    const reconnects: ReconnectInfo[] = [];
    cache.on('reconnect', (info) => reconnects.push(info));
    await waitFor('the watch to be ended', () => cluster.faults.dropWatches({ resource: 'configmaps' }) > 0);
    await waitFor('the early end to be backed off', () => reconnects.length >= 1);
    expect(reconnects[0]?.error.details).toMatchObject({ endedEarly: true, healthyWatchMs: 30_000 });
  });
});
