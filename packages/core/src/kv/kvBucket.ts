import type { WatchCacheHandle } from '../cluster/watchCacheRegistry.js';
import type { EngineContext } from '../engineContext.js';
import { ClosedError, InvalidArgumentError } from '../errors.js';
import { assertRange, withDefaults } from '../options.js';
import type { Logger } from '../types.js';
import { type BackendAdapter, backendAdapter } from './kvBackend.js';
import { assertFits, assertVersion } from './kvChecks.js';
import { type Codec, createCodec, type StoredValue } from './kvCodec.js';
import { assertBucketName, assertKey, assertNamespace } from './kvKey.js';
import type { Current, KeyChange } from './kvPlan.js';
import { waitForCache } from './kvReady.js';
import { allEntries, type BucketView, locate } from './kvShards.js';
import { BucketSource } from './kvSource.js';
import type {
  KvBackend,
  KvBucketOptions,
  KvBucketStatus,
  KvEntry,
  KvFreshness,
  KvGetOptions,
  KvListener,
  KvListOptions,
  KvReadResult,
  KvWriteOptions,
} from './kvTypes.js';
import { KvWatchers } from './kvWatchers.js';
import { type WriterSettings, writeKeys } from './kvWriter.js';

const DEFAULTS: Readonly<Required<Omit<KvBucketOptions, 'namespace' | 'codec'>>> = Object.freeze({
  backend: 'configmap',
  cacheScope: 'namespace',
  maxAttempts: 1000,
  retryInitialMs: 2,
  retryMaxMs: 100,
  maxObjectBytes: 1024 * 1024,
  syncTimeoutMs: 30_000,
});

/** What `update()` leaves: the key's value and version afterwards (both undefined when it is absent). */
export interface KvUpdateResult<T> {
  readonly value: T | undefined;
  readonly version: string | undefined;
}

/**
 * A typed key-value bucket in ConfigMaps (or one Secret) of a namespace. Reads come from the watch
 * cache the engines share; writes are compare-and-set on the object's resourceVersion, so no write
 * ever overwrites one it did not see. Made by `ks.kv(name, options)`.
 */
export class KvBucket<T = string | Buffer> {
  readonly name: string;
  readonly namespace: string;
  readonly backend: KvBackend;
  readonly #codec: Codec<T>;
  readonly #adapter: BackendAdapter;
  readonly #handle: WatchCacheHandle;
  readonly #source: BucketSource;
  readonly #watchers: KvWatchers<T>;
  readonly #writer: WriterSettings;
  readonly #syncTimeoutMs: number;
  readonly #logger: Logger;
  #closed = false;

  constructor(options: KvBucketOptions<T> & { name: string; context: EngineContext }) {
    const { context, name } = options;
    const settings = withDefaults(DEFAULTS, options);
    assertBucketName(name);
    const namespace = options.namespace ?? context.namespace;
    assertNamespace(namespace);
    if (settings.backend !== 'configmap' && settings.backend !== 'secret')
      throw new InvalidArgumentError(
        `KV bucket "${name}": option \`backend\` must be 'configmap' or 'secret'.`,
      );
    if (settings.cacheScope !== 'namespace' && settings.cacheScope !== 'bucket')
      throw new InvalidArgumentError(
        `KV bucket "${name}": option \`cacheScope\` must be 'namespace' or 'bucket'.`,
      );
    assertRange('KvBucket', 'maxAttempts', settings.maxAttempts, 1);
    assertRange('KvBucket', 'retryInitialMs', settings.retryInitialMs, 0);
    assertRange('KvBucket', 'retryMaxMs', settings.retryMaxMs, settings.retryInitialMs);
    assertRange('KvBucket', 'maxObjectBytes', settings.maxObjectBytes, 1);
    assertRange('KvBucket', 'syncTimeoutMs', settings.syncTimeoutMs, 1);
    this.name = name;
    this.namespace = namespace;
    this.backend = settings.backend;
    this.#codec = createCodec<T>(options.codec ?? ('string' as const), name);
    this.#adapter = backendAdapter(settings.backend, settings.cacheScope);
    this.#syncTimeoutMs = settings.syncTimeoutMs;
    this.#logger = context.logger.child?.({ kvBucket: name, namespace }) ?? context.logger;
    this.#handle = context.registry.acquire(this.#adapter.scope(namespace, name));
    const cache = this.#handle.cache;
    this.#source = new BucketSource({
      client: context.client,
      cache,
      adapter: this.#adapter,
      namespace,
      bucket: name,
    });
    this.#watchers = new KvWatchers<T>({
      cache,
      adapter: this.#adapter,
      codec: this.#codec,
      namespace,
      bucket: name,
      logger: this.#logger,
    });
    this.#writer = {
      ...settings,
      client: context.client,
      source: this.#source,
      adapter: this.#adapter,
      namespace,
      bucket: name,
      clock: context.clock,
      random: context.random,
      logger: this.#logger,
    };
  }

  /** Resolves once the shared cache holds the bucket (its first list); rejects with the API's error when listing is forbidden. */
  async ready(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    this.#assertOpen();
    await waitForCache(this.#handle.cache, options.timeoutMs ?? this.#syncTimeoutMs, options.signal);
  }

  /** The key's value and version, from the shared cache (or the API server with `consistent`); undefined when absent. */
  async get(key: string, options: KvGetOptions = {}): Promise<KvReadResult<T> | undefined> {
    assertKey(key, this.name);
    const { view, stale } = await this.#view(options.consistent === true);
    const shard = locate(view, key);
    const stored = shard?.entries.get(key);
    if (!shard || !stored) return undefined;
    return { value: this.#codec.decode(stored, key), version: shard.version, stale };
  }

  /**
   * Sets a key and returns the new version. With `ifVersion`, writes only if the key is still at that
   * version and throws {@link KvConflictError} otherwise. Creates the bucket's first object if needed.
   */
  async set(key: string, value: T, options: KvWriteOptions = {}): Promise<string> {
    assertKey(key, this.name);
    const stored = this.#encode(key, value);
    const outcome = await this.#write([
      {
        key,
        decide: (current) => {
          this.#checkVersion(key, current, options);
          return stored;
        },
      },
    ]);
    return outcome.get(key)?.version ?? '';
  }

  /**
   * Sets several keys; every key and value is checked before anything is written. Keys that live in
   * one object (the usual case) are written at once; otherwise one object at a time. Returns each key's version.
   */
  async setMany(values: Readonly<Record<string, T>>): Promise<Record<string, string>> {
    const changes: KeyChange[] = Object.entries(values).map(([key, value]) => {
      assertKey(key, this.name);
      const stored = this.#encode(key, value);
      return { key, decide: () => stored };
    });
    const outcome = await this.#write(changes);
    return Object.fromEntries([...outcome].map(([key, result]) => [key, result.version ?? '']));
  }

  /**
   * Reads, computes `fn(old)` and writes it with compare-and-set, again and again on conflict (after a
   * jittered, growing wait, at most `maxAttempts` times), so concurrent updates never lose one another.
   * `fn` may run several times: keep it free of side effects. Returning `undefined` leaves the key as is.
   */
  async update(key: string, fn: (old: T | undefined) => T | undefined): Promise<KvUpdateResult<T>> {
    assertKey(key, this.name);
    let result: T | undefined;
    const outcome = await this.#write([
      {
        key,
        decide: (current) => {
          result = fn(current ? this.#codec.decode(current.stored, key) : undefined);
          if (result === undefined) {
            result = current ? this.#codec.decode(current.stored, key) : undefined;
            return undefined;
          }
          return this.#encode(key, result);
        },
      },
    ]);
    return { value: result, version: outcome.get(key)?.version };
  }

  /** Deletes a key; resolves true when it existed. `ifVersion` as for {@link set}. */
  async delete(key: string, options: KvWriteOptions = {}): Promise<boolean> {
    assertKey(key, this.name);
    const outcome = await this.#write([
      {
        key,
        decide: (current) => {
          this.#checkVersion(key, current, options);
          return null;
        },
      },
    ]);
    return outcome.get(key)?.existed === true;
  }

  /** Every entry (or those under `prefix`), sorted by key. */
  async entries(options: KvListOptions = {}): Promise<KvEntry<T>[]> {
    const { view, stale } = await this.#view(options.consistent === true);
    const prefix = options.prefix ?? '';
    const result: KvEntry<T>[] = [];
    for (const [key, { stored, shard }] of allEntries(view)) {
      if (key.startsWith(prefix))
        result.push({ key, value: this.#codec.decode(stored, key), version: shard.version, stale });
    }
    return result.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** Every key (or those under `prefix`), sorted. */
  async keys(options: KvListOptions = {}): Promise<string[]> {
    const { view } = await this.#view(options.consistent === true);
    const prefix = options.prefix ?? '';
    return [...allEntries(view).keys()].filter((key) => key.startsWith(prefix)).sort();
  }

  /**
   * Calls `listener` for every change of the key `keyOrPrefix` and of every key starting with it
   * (`''`: all), as the shared cache sees them. Returns the function that stops it.
   */
  watch(keyOrPrefix: string, listener: KvListener<T>): () => void {
    this.#assertOpen();
    if (keyOrPrefix !== '') assertKey(keyOrPrefix, this.name);
    return this.#watchers.add(keyOrPrefix, listener);
  }

  /**
   * How fresh cached reads are now: `stale` as reads report it (the watch is reconnecting, or has been
   * silent longer than the cache's `staleAfterMs`), and the time since the shared cache last heard from
   * the API server, in ms (undefined before its first list).
   */
  freshness(): KvFreshness {
    const cache = this.#handle.cache;
    return {
      stale: this.#closed || cache.stale(),
      ageMs: this.#closed ? undefined : cache.status().lastHeardAgeMs,
    };
  }

  status(): KvBucketStatus {
    const cache = this.#handle.cache;
    const synced = !this.#closed && cache.synced();
    const view = synced ? this.#source.cached() : undefined;
    return {
      bucket: this.name,
      namespace: this.namespace,
      backend: this.backend,
      synced,
      stale: this.#closed || cache.stale(),
      objects: view?.shards.length ?? 0,
      keys: view ? allEntries(view).size : 0,
      closed: this.#closed,
    };
  }

  /** Stops watches and gives the shared cache back. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#watchers.clear();
    this.#handle.release();
  }

  #assertOpen(): void {
    if (this.#closed)
      throw new ClosedError(`KV bucket "${this.name}" is closed; create a new one with ks.kv().`);
  }

  async #view(consistent: boolean): Promise<{ view: BucketView; stale: boolean }> {
    this.#assertOpen();
    if (consistent) return { view: await this.#source.consistent(), stale: false };
    await waitForCache(this.#handle.cache, this.#syncTimeoutMs);
    return { view: this.#source.cached(), stale: this.#handle.cache.stale() };
  }

  #write(changes: KeyChange[]): ReturnType<typeof writeKeys> {
    this.#assertOpen();
    return writeKeys(this.#writer, changes);
  }

  #encode(key: string, value: T): StoredValue {
    const stored = this.#codec.encode(value, key);
    assertFits(this.name, this.#adapter.kind, key, stored, this.#writer.maxObjectBytes);
    return stored;
  }

  #checkVersion(key: string, current: Current | undefined, options: KvWriteOptions): void {
    assertVersion(this.name, key, current, options.ifVersion);
  }
}
