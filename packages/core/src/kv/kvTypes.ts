/** Public types of the key-value engine. */

/** Where a bucket keeps its entries: ConfigMaps (`data`/`binaryData`) or one Secret (`data`, base64). */
export type KvBackend = 'configmap' | 'secret';

/**
 * A schema that checks a decoded value and returns it typed, throwing when it does not fit. zod,
 * valibot's `parser()`, or any `{ parse(input) }` object fits; there is no schema dependency.
 */
export interface KvSchema<T> {
  parse(input: unknown): T;
}

/**
 * How values are stored: `'string'` as is, `'json'` as JSON text, a schema as JSON text checked by the
 * schema before every write and after every read. Whatever the codec, a `Buffer` (or `Uint8Array`)
 * value is stored as raw bytes (a ConfigMap's `binaryData`) and read back as a `Buffer`.
 */
export type KvCodec<T> = 'string' | 'json' | KvSchema<T>;

/** The value type a codec gives a bucket. */
export type KvValueOf<C> = C extends KvSchema<infer T> ? T : C extends 'json' ? unknown : string | Buffer;

/**
 * What a ConfigMap bucket lists and watches: `'namespace'`, every ConfigMap of the namespace in one
 * cache shared by every bucket there (a bucket may grow into overflow objects); `'bucket'`, only the
 * bucket's own ConfigMap (`fieldSelector=metadata.name=<bucket>`), which a Role limited by
 * `resourceNames` to the bucket allows; such a bucket is one ConfigMap.
 */
export type KvCacheScope = 'namespace' | 'bucket';

export interface KvBucketOptions<T = string | Buffer> {
  /** Namespace of the bucket's objects. @default the namespace of the engine context */
  namespace?: string;
  /** @default 'configmap' */
  backend?: KvBackend;
  /**
   * What the bucket lists and watches (see {@link KvCacheScope}); a Secret bucket always watches only
   * its own Secret.
   * @default 'namespace'
   */
  cacheScope?: KvCacheScope;
  /** @default 'string' */
  codec?: KvCodec<T>;
  /**
   * Attempts a write makes before it gives up with `KvConflictError`: each conflict waits a jittered,
   * growing delay (at most `retryMaxMs`) and re-reads the object from the API server. Many writers
   * hammering one key can starve one of them for a while, hence the generous default; the wait is
   * bounded by about `maxAttempts x retryMaxMs`.
   * @default 1000
   */
  maxAttempts?: number;
  /** First delay after a conflict, in ms; doubled per conflict, half of it jittered. @default 2 */
  retryInitialMs?: number;
  /** Largest delay between two attempts, in ms. @default 100 */
  retryMaxMs?: number;
  /**
   * Room in one object, in bytes: keys plus values (raw bytes for binary values). Kubernetes refuses
   * ConfigMaps and Secrets whose data passes 1 MiB.
   * @default 1048576
   */
  maxObjectBytes?: number;
  /** How long a read waits for the shared cache's first sync, in ms. @default 30000 */
  syncTimeoutMs?: number;
}

/** One entry as read: its value, its version, and whether the cache it came from may lag. */
export interface KvEntry<T> {
  readonly key: string;
  readonly value: T;
  /**
   * The resourceVersion of the object holding the entry. A write to any key of the same object changes
   * it, so it is a version for compare-and-set, not a per-key counter.
   */
  readonly version: string;
  /**
   * The value may be older than the server's: the watch is reconnecting, or it has been silent longer
   * than the cache's `staleAfterMs`. Always false for consistent reads.
   */
  readonly stale: boolean;
}

/** How fresh a bucket's cached reads are (`bucket.freshness()`). */
export interface KvFreshness {
  /** Cached reads may lag the server (see {@link KvEntry.stale}). */
  readonly stale: boolean;
  /** Time since the shared cache last heard from the API server, in ms; undefined before its first list. */
  readonly ageMs: number | undefined;
}

/** What `get` returns for a present key. */
export type KvReadResult<T> = Pick<KvEntry<T>, 'value' | 'version' | 'stale'>;

export interface KvGetOptions {
  /** Read from the API server instead of the shared watch cache. @default false */
  consistent?: boolean;
}

export interface KvListOptions extends KvGetOptions {
  /** Only keys that start with this. @default '' (every key) */
  prefix?: string;
}

export interface KvWriteOptions {
  /**
   * Write only if the key's current version is this one (from `get`, `set` or `entries`); otherwise
   * throw `KvConflictError` and write nothing. A key that does not exist has no version, so any
   * `ifVersion` fails for it.
   */
  ifVersion?: string;
}

/** A change seen by `watch`. `value` is absent for deletes. */
export interface KvChange<T> {
  readonly type: 'set' | 'delete';
  readonly key: string;
  readonly value?: T;
  /** The version of the object after the change. */
  readonly version: string;
}

export type KvListener<T> = (change: KvChange<T>) => void;

/** A snapshot of a bucket's state, for health checks. */
export interface KvBucketStatus {
  readonly bucket: string;
  readonly namespace: string;
  readonly backend: KvBackend;
  /** The shared cache has completed its first list. */
  readonly synced: boolean;
  /** The cache may lag the server (not synced yet, or the watch is reconnecting). */
  readonly stale: boolean;
  /** Objects holding the bucket (0 before its first write). */
  readonly objects: number;
  readonly keys: number;
  readonly closed: boolean;
}
