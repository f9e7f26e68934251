import { CallTimeoutError, ClosedError, KubeAPIUnavailableError, KubeSmartError } from '../errors.js';
import { withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import { Backoff } from './backoff.js';
import { CacheStore, type IndexFunction, type StoreChange } from './cacheStore.js';
import type { KubeClient } from './kubeClient.js';
import { retryAfterOf, statusOf } from './kubeErrors.js';
import { type KubeObject, objectKey, type WatchEvent } from './kubeObject.js';
import { listPages } from './listPages.js';
import { resourcePath } from './resources.js';
import { SilenceTimer } from './silenceTimer.js';
import { sleep } from './sleep.js';
import {
  checkWatchCacheSettings,
  WATCH_CACHE_DEFAULTS,
  type WatchCacheEvents,
  type WatchCacheMode,
  type WatchCacheSettings,
  type WatchCacheStatus,
} from './watchCacheOptions.js';
import { describeScope, type WatchScope } from './watchScope.js';

/**
 * A watch the server ends before this fraction of the `timeoutSeconds` it was asked for, and before
 * `healthyWatchMs`, ended early: kube-apiserver keeps a watch open for the whole timeout, so an end
 * within seconds is a broken server, proxy or network, and is backed off. Proxies that end watches
 * after a minute or so are healthy.
 */
const EARLY_END_FRACTION = 0.5;

export interface WatchCacheOptions extends WatchCacheSettings {
  /** The API client. */
  client: KubeClient;
  /** What to cache. */
  scope: WatchScope;
}

/**
 * The one supervised watch cache (a Reflector and Informer in our own words): it lists, then watches
 * from the list's resourceVersion with bookmarks; re-watches after a clean end; lists again on 410;
 * reconnects with jittered backoff after any other failure (honouring `Retry-After`); reconnects a
 * stalled watch; polls where watch is forbidden. It never stops by itself: every failure is an
 * `error` event, a log line and a counter, and only `close()` ends it.
 */
export class WatchCache<T extends KubeObject = KubeObject> extends TypedEmitter<WatchCacheEvents<T>> {
  readonly scope: WatchScope;
  readonly #client: KubeClient;
  readonly #settings: Required<WatchCacheSettings>;
  readonly #store = new CacheStore<T>();
  readonly #lifetime = new AbortController();
  readonly #backoff: Backoff;
  readonly #what: string;
  #mode: WatchCacheMode;
  #synced = false;
  #stale = true;
  #needList = true;
  #expiredInRow = 0;
  #resourceVersion: string | undefined;
  #lastEventAt: number | undefined;
  /** No byte for longer than `staleAfterMs`: stale even while the watch is open. */
  readonly #silence: SilenceTimer;
  #silent = false;
  /** The freshness last reported by a `stale` event. */
  #reportedStale = true;
  #lastError: KubeSmartError | undefined;
  #counts = { lists: 0, relists: 0, reconnects: 0, events: 0, errors: 0 };

  constructor(options: WatchCacheOptions) {
    const { client, scope, ...rest } = options;
    const merged = withDefaults(WATCH_CACHE_DEFAULTS, rest);
    // Unless set, staleness comes no later than the stall timeout that reconnects a silent watch.
    const settings =
      rest.staleAfterMs === undefined
        ? { ...merged, staleAfterMs: Math.min(merged.staleAfterMs, merged.stallTimeoutMs) }
        : merged;
    checkWatchCacheSettings(settings);
    super(settings.logger);
    this.scope = scope;
    this.#client = client;
    this.#settings = settings;
    this.#mode = settings.mode === 'poll' ? 'poll' : 'watch';
    this.#what = describeScope(scope);
    this.#silence = new SilenceTimer(
      settings.clock,
      () => (this.#mode === 'poll' ? settings.pollIntervalMs + settings.staleAfterMs : settings.staleAfterMs),
      (silent) => {
        this.#silent = silent;
        this.#reportStale();
      },
    );
    this.#backoff = new Backoff({
      initialMs: settings.initialBackoffMs,
      maxMs: settings.maxBackoffMs,
      resetAfterMs: settings.backoffResetMs,
      clock: settings.clock,
      random: settings.random,
    });
    this.#run().catch((error: unknown) => {
      settings.logger.error({ err: error, scope: this.#what }, 'watch cache loop failed unexpectedly');
    });
  }

  /** Every object held, in no particular order. */
  items(): T[] {
    return this.#store.values();
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#store.get(objectKey(namespace, name));
  }

  /** Adds a secondary index (idempotent by name) for {@link byIndex}. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    this.#store.addIndex(name, fn);
  }

  byIndex(name: string, value: string): T[] {
    return this.#store.byIndex(name, value);
  }

  synced(): boolean {
    return this.#synced;
  }

  /**
   * Whether the cache may lag the server: not synced, disconnected since a failure, or silent (no byte
   * from its watch, or no poll) for longer than `staleAfterMs` allows.
   */
  stale(): boolean {
    return this.#stale || this.#silence.silent();
  }

  status(): WatchCacheStatus {
    const { clock } = this.#settings;
    const now = clock.now();
    return {
      mode: this.#mode,
      synced: this.#synced,
      stale: this.stale(),
      items: this.#store.size,
      ...this.#counts,
      lastEventAgeMs: this.#lastEventAt === undefined ? undefined : now - this.#lastEventAt,
      lastHeardAgeMs: this.#silence.lastHeardAt === undefined ? undefined : now - this.#silence.lastHeardAt,
      lastError: this.#lastError,
      resourceVersion: this.#resourceVersion,
    };
  }

  /** Resolves once a first list completed; rejects on timeout, abort or close. */
  waitForSync(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    if (this.#synced) return Promise.resolve();
    if (this.#lifetime.signal.aborted)
      return Promise.reject(new ClosedError(`the watch cache of ${this.#what} is closed`));
    const { clock } = this.#settings;
    return new Promise((resolve, reject) => {
      const done = (error?: unknown): void => {
        this.off('sync', onSync);
        clock.clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#lifetime.signal.removeEventListener('abort', onClose);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onSync = (): void => done();
      const onAbort = (): void => done(options.signal?.reason ?? new ClosedError('waitForSync was aborted'));
      const onClose = (): void =>
        done(new ClosedError(`the watch cache of ${this.#what} was closed before its first sync`));
      const timer =
        options.timeoutMs === undefined
          ? undefined
          : clock.setTimeout(() => {
              const last = this.#lastError ? ` Last error: ${this.#lastError.message}` : '';
              done(
                new CallTimeoutError(`${this.#what} did not sync within ${options.timeoutMs} ms.${last}`, {
                  cause: this.#lastError,
                }),
              );
            }, options.timeoutMs);
      this.on('sync', onSync);
      if (options.signal?.aborted) onAbort();
      else options.signal?.addEventListener('abort', onAbort, { once: true });
      this.#lifetime.signal.addEventListener('abort', onClose, { once: true });
    });
  }

  /** Stops for good: aborts the request in flight, clears every timer, drops listeners. */
  close(): void {
    if (this.#lifetime.signal.aborted) return;
    this.#lifetime.abort(new ClosedError(`the watch cache of ${this.#what} was closed`));
    this.#silence.close();
    this.removeAllListeners();
  }

  async #run(): Promise<void> {
    const { signal } = this.#lifetime;
    let delayMs = 0;
    while (!signal.aborted) {
      try {
        if (delayMs > 0) await sleep(this.#settings.clock, delayMs, signal);
        delayMs = 0;
        if (this.#needList || this.#mode === 'poll') await this.#list();
        if (this.#mode === 'poll') await sleep(this.#settings.clock, this.#settings.pollIntervalMs, signal);
        else {
          await this.#watch();
          this.#expiredInRow = 0;
        }
      } catch (error) {
        if (signal.aborted) return;
        delayMs = this.#recover(error);
      }
    }
  }

  async #list(): Promise<void> {
    const { pageSize } = this.#settings;
    const result = await listPages<T>(this.#client, this.scope, {
      pageSize,
      signal: this.#lifetime.signal,
      retryAfterRetries: 0,
    });
    if (this.#lifetime.signal.aborted) return;
    this.#needList = false;
    this.#resourceVersion = result.resourceVersion;
    this.#counts.lists += 1;
    this.#lastEventAt = this.#settings.clock.now();
    this.#silence.heard();
    this.#backoff.healthy();
    const changes = this.#store.replace(result.items);
    this.#synced = true;
    this.#setStale(false);
    for (const change of changes) this.#emitChange(change);
    this.emit('sync', { items: this.#store.size, lists: this.#counts.lists });
  }

  /**
   * Watches until the server ends the stream. A stream the server ends well before the
   * `timeoutSeconds` asked for (a proxy or server that closes watches at once) rejects with
   * {@link KubeAPIUnavailableError} (`details.endedEarly`), so it is backed off like any failure
   * instead of being re-watched in a tight loop.
   */
  async #watch(): Promise<void> {
    const {
      minWatchTimeoutSeconds: min,
      maxWatchTimeoutSeconds: max,
      random,
      stallTimeoutMs,
      healthyWatchMs,
      clock,
    } = this.#settings;
    const timeoutSeconds = Math.round(min + random() * (max - min));
    const query = {
      resourceVersion: this.#resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds,
      labelSelector: this.scope.labelSelector,
      fieldSelector: this.scope.fieldSelector,
    };
    const path = resourcePath(this.scope.resource, this.scope.namespace);
    const startedAt = clock.now();
    const eventsBefore = this.#counts.events;
    await this.#client.watch(path, query, (event) => this.#apply(event), this.#lifetime.signal, {
      idleTimeoutMs: stallTimeoutMs,
      onOpen: () => {
        this.#silence.heard();
        this.#backoff.healthy();
        this.#setStale(false);
      },
      onBytes: () => this.#silence.heard(),
    });
    const lastedMs = clock.now() - startedAt;
    const earlyBeforeMs = Math.min(healthyWatchMs, timeoutSeconds * 1000 * EARLY_END_FRACTION);
    if (this.#lifetime.signal.aborted || lastedMs >= earlyBeforeMs) return;
    throw new KubeAPIUnavailableError(
      `the watch of ${this.#what} ended after ${Math.round(lastedMs)} ms with ${
        this.#counts.events - eventsBefore
      } events, long before the ${timeoutSeconds} s asked for; backing off before watching again`,
      { details: { endedEarly: true, lastedMs, timeoutSeconds, healthyWatchMs } },
    );
  }

  #apply(event: WatchEvent): void {
    const object = event.object as T;
    this.#counts.events += 1;
    this.#expiredInRow = 0;
    this.#lastEventAt = this.#settings.clock.now();
    this.#resourceVersion = object.metadata?.resourceVersion ?? this.#resourceVersion;
    if (event.type === 'BOOKMARK') return;
    if (event.type === 'DELETED') {
      const previous = this.#store.delete(object);
      if (previous) this.emit('delete', object);
      return;
    }
    const previous = this.#store.set(object);
    if (previous) this.emit('update', object, previous);
    else this.emit('add', object);
  }

  #emitChange(change: StoreChange<T>): void {
    if (change.type === 'update') this.emit('update', change.object, change.previous);
    else this.emit(change.type, change.object);
  }

  /**
   * Decides what a failure means: list again (410), switch to polling (403 on watch), or back off.
   * Returns the delay before the next try.
   */
  #recover(failure: unknown): number {
    const { logger } = this.#settings;
    const error =
      failure instanceof KubeSmartError
        ? failure
        : new KubeAPIUnavailableError(`the watch cache of ${this.#what} failed: ${String(failure)}`, {
            cause: failure,
          });
    const status = statusOf(error);
    const listing = this.#needList || this.#mode === 'poll';
    this.#lastError = error;
    this.#counts.errors += 1;
    this.emit('error', error);
    if (status === 410) {
      this.#needList = true;
      this.#counts.relists += 1;
      logger.info(
        { scope: this.#what, resourceVersion: this.#resourceVersion },
        'resourceVersion expired; listing again',
      );
      this.emit('relist', error);
      // The first expiry relists at once; expiries in a row (a broken server) back off.
      if (!listing && this.#expiredInRow++ === 0) return 0;
    } else if (status === 403 && !listing && this.#settings.mode === 'auto') {
      this.#mode = 'poll';
      logger.warn(
        { scope: this.#what, pollIntervalMs: this.#settings.pollIntervalMs },
        'watch is forbidden; polling instead',
      );
      this.emit('mode', 'poll');
      return 0;
    }
    this.#setStale(true);
    // A server's Retry-After is honoured up to maxRetryAfterMs: one 429 asking for an hour must not
    // freeze discovery and KV for an hour.
    const retryAfterMs = Math.min((retryAfterOf(error) ?? 0) * 1000, this.#settings.maxRetryAfterMs);
    const delayMs = Math.round(this.#backoff.next(retryAfterMs));
    this.#counts.reconnects += 1;
    logger.warn(
      { scope: this.#what, err: error, delayMs, attempt: this.#backoff.attempt },
      'watch cache failed; retrying',
    );
    this.emit('reconnect', { attempt: this.#backoff.attempt, delayMs, error });
    return delayMs;
  }

  #setStale(stale: boolean): void {
    this.#stale = stale;
    this.#reportStale();
  }

  /** Emits `stale` when disconnection or silence changed what {@link stale} says. */
  #reportStale(): void {
    const stale = this.#stale || this.#silent;
    if (this.#reportedStale === stale) return;
    this.#reportedStale = stale;
    this.emit('stale', stale);
  }
}
