import type { KubeObject } from '../cluster/kubeObject.js';
import type { WatchCache } from '../cluster/watchCache.js';
import type { WatchCacheHandle, WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import type { WatchScope } from '../cluster/watchScope.js';
import type { KubeSmartError } from '../errors.js';

/** A share of a cache with listeners on it; `stop()` removes them and releases the share. */
export interface Follow {
  readonly handle: WatchCacheHandle;
  readonly cache: WatchCache;
  readonly stop: () => void;
}

export interface FollowListener {
  /** Something relevant changed, or the cache (re)synced. */
  refresh(): void;
  error(cache: WatchCache, error: KubeSmartError): void;
  staleChanged(): void;
}

/**
 * Takes a share of the cache of `scope` and listens to it: `refresh` on relevant objects (`relevant`
 * says which concern the reader) and on every sync, plus errors and freshness.
 */
export function followCache(
  registry: WatchCacheRegistry,
  scope: WatchScope,
  relevant: (object: KubeObject) => boolean,
  listener: FollowListener,
): Follow {
  const handle = registry.acquire(scope);
  const { cache } = handle;
  const onObject = (object: KubeObject, previous?: KubeObject): void => {
    if (relevant(object) || (previous !== undefined && relevant(previous))) listener.refresh();
  };
  const onSync = (): void => listener.refresh();
  const onError = (error: KubeSmartError): void => listener.error(cache, error);
  const onStale = (): void => listener.staleChanged();
  cache.on('add', onObject).on('update', onObject).on('delete', onObject);
  cache.on('sync', onSync).on('error', onError).on('stale', onStale);
  let stopped = false;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    cache.off('add', onObject).off('update', onObject).off('delete', onObject);
    cache.off('sync', onSync).off('error', onError).off('stale', onStale);
    handle.release();
  };
  return { handle, cache, stop };
}
