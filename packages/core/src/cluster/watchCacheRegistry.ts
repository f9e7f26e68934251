import { ClosedError } from '../errors.js';
import type { KubeClient } from './kubeClient.js';
import type { KubeObject } from './kubeObject.js';
import { type ListResult, listPages } from './listPages.js';
import { WatchCache } from './watchCache.js';
import { WATCH_CACHE_DEFAULTS, type WatchCacheSettings, type WatchCacheStatus } from './watchCacheOptions.js';
import { scopeKey, type WatchScope } from './watchScope.js';

export interface WatchCacheRegistryOptions extends WatchCacheSettings {
  /** The API client every cache uses. */
  client: KubeClient;
}

/** A consumer's share of a cache: read `cache`, call `release()` once when done. */
export interface WatchCacheHandle<T extends KubeObject = KubeObject> {
  readonly cache: WatchCache<T>;
  /** Gives the share back; the cache closes when its last share is released. Idempotent. */
  release(): void;
}

interface Entry {
  readonly cache: WatchCache<KubeObject>;
  refs: number;
}

/**
 * Shares one {@link WatchCache} per scope (resource, namespace, selectors) among every consumer (the
 * resolver, the KV engine, the query engine), counting references, so N readers cost one list and one
 * watch. The registry's settings (logger, clock, timings, mode) apply to every cache it makes; a
 * consumer's `settings` only count when it is the first to acquire that scope.
 */
export class WatchCacheRegistry {
  readonly client: KubeClient;
  readonly #settings: WatchCacheSettings;
  readonly #entries = new Map<string, Entry>();
  #closed = false;

  constructor(options: WatchCacheRegistryOptions) {
    const { client, ...settings } = options;
    this.client = client;
    this.#settings = settings;
  }

  /** Takes a share of the cache of `scope`, starting it when it is the first share. */
  acquire<T extends KubeObject = KubeObject>(
    scope: WatchScope,
    settings?: WatchCacheSettings,
  ): WatchCacheHandle<T> {
    if (this.#closed) throw new ClosedError('the watch cache registry is closed; create a new one');
    const key = scopeKey(scope);
    let entry = this.#entries.get(key);
    if (!entry) {
      const cache = new WatchCache<KubeObject>({
        ...this.#settings,
        ...settings,
        client: this.client,
        scope,
      });
      entry = { cache, refs: 0 };
      this.#entries.set(key, entry);
    }
    entry.refs += 1;
    const held = entry;
    let released = false;
    return {
      cache: held.cache as unknown as WatchCache<T>,
      release: () => {
        if (released) return;
        released = true;
        held.refs -= 1;
        if (held.refs === 0 && this.#entries.get(key) === held) {
          this.#entries.delete(key);
          held.cache.close();
        }
      },
    };
  }

  /** The live cache of exactly `scope`, if one exists, without taking a share (read-only). */
  peek<T extends KubeObject = KubeObject>(scope: WatchScope): WatchCache<T> | undefined {
    return this.#entries.get(scopeKey(scope))?.cache as unknown as WatchCache<T> | undefined;
  }

  /** A one-shot, paginated list of `scope` (poll mode's ListerWatcher `list`), without a cache. */
  list<T extends KubeObject = KubeObject>(scope: WatchScope, signal?: AbortSignal): Promise<ListResult<T>> {
    const pageSize = this.#settings.pageSize ?? WATCH_CACHE_DEFAULTS.pageSize;
    return listPages<T>(this.client, scope, { pageSize, signal });
  }

  /** Status of every live cache, by scope key, with its number of shares. */
  status(): Record<string, WatchCacheStatus & { refs: number }> {
    const result: Record<string, WatchCacheStatus & { refs: number }> = {};
    for (const [key, entry] of this.#entries) result[key] = { ...entry.cache.status(), refs: entry.refs };
    return result;
  }

  /** Live caches. */
  get size(): number {
    return this.#entries.size;
  }

  /** Closes every cache (outstanding handles become inert). The client stays open: its owner closes it. */
  close(): void {
    this.#closed = true;
    for (const entry of this.#entries.values()) entry.cache.close();
    this.#entries.clear();
  }
}
