import { type EngineContext, KvBucket, type KvBucketStatus } from '@kubesmart/core';
import type { AllowList } from './allowList.js';
import type { CacheScope } from './config.js';
import { HttpError } from './httpErrors.js';

/** The string-or-bytes buckets the routes serve. */
export type ProxyBucket = KvBucket<string | Buffer>;

export interface BucketPoolOptions {
  /** `bucket`: each bucket lists and watches only its own ConfigMap (core's `cacheScope`). */
  cacheScope: CacheScope;
  /** Buckets open at once; the least recently used idle one is closed to open another. */
  maxOpen: number;
}

interface OpenBucket {
  readonly bucket: ProxyBucket;
  /** Requests and streams using the bucket now: it is not closed while any holds it. */
  leases: number;
  /** Opened by `warm()` (the allow-listed buckets): never closed for room. */
  readonly pinned: boolean;
}

/**
 * The open {@link KvBucket}s, per namespace and bucket, on the shared watch caches of one engine
 * context (one ConfigMap watch per namespace however many buckets, or one per bucket with
 * `cacheScope: 'bucket'`). At most `maxOpen` are open: opening one more closes the least recently used
 * bucket no request or stream holds, and when every bucket is held the caller gets 503.
 */
export class BucketPool {
  readonly #context: EngineContext;
  readonly #allow: AllowList;
  readonly #options: BucketPoolOptions;
  /** In order of last use, the least recent first. */
  readonly #open = new Map<string, OpenBucket>();
  #evicted = 0;

  constructor(context: EngineContext, allow: AllowList, options: BucketPoolOptions) {
    this.#context = context;
    this.#allow = allow;
    this.#options = options;
  }

  /** Runs `fn` with the bucket (opened on first use), which stays open until `fn` settles; 404 outside the allow-list. */
  async use<T>(namespace: string, bucket: string, fn: (bucket: ProxyBucket) => Promise<T>): Promise<T> {
    const lease = this.lease(namespace, bucket);
    try {
      return await fn(lease.bucket);
    } finally {
      lease.release();
    }
  }

  /** Holds the bucket open until `release()` (idempotent): for streams. */
  lease(namespace: string, bucket: string): { bucket: ProxyBucket; release(): void } {
    const open = this.#acquire(namespace, bucket, false);
    open.leases += 1;
    let released = false;
    return {
      bucket: open.bucket,
      release: () => {
        if (released) return;
        released = true;
        open.leases -= 1;
      },
    };
  }

  /**
   * Opens the allow-listed buckets (or, when any bucket is allowed, one per namespace to start the
   * namespace's cache), so `/readyz` reports the caches' sync. These stay open.
   */
  warm(): void {
    for (const namespace of this.#allow.namespaces) {
      const names = this.#allow.buckets;
      for (const bucket of names.length ? names : ['kv-proxy']) this.#acquire(namespace, bucket, true);
    }
  }

  /** Every open bucket's status, pinned (allow-listed) buckets first. */
  status(): (KvBucketStatus & { pinned: boolean })[] {
    const all = [...this.#open.values()].map((open) => ({ ...open.bucket.status(), pinned: open.pinned }));
    return all.sort((a, b) => Number(b.pinned) - Number(a.pinned));
  }

  /** Buckets open now, and buckets closed for room since the start. */
  counts(): { open: number; evicted: number } {
    return { open: this.#open.size, evicted: this.#evicted };
  }

  /** Every open bucket is synced (and at least one is open when namespaces are named). */
  ready(): boolean {
    return [...this.#open.values()].every((open) => open.bucket.status().synced);
  }

  close(): void {
    for (const open of this.#open.values()) open.bucket.close();
    this.#open.clear();
  }

  #acquire(namespace: string, bucket: string, pinned: boolean): OpenBucket {
    this.#allow.check(namespace, bucket);
    const key = `${namespace}/${bucket}`;
    let open = this.#open.get(key);
    if (open) {
      // Most recently used last.
      this.#open.delete(key);
      this.#open.set(key, open);
      return open;
    }
    if (!pinned && this.#open.size >= this.#options.maxOpen) this.#makeRoom();
    open = {
      bucket: new KvBucket<string | Buffer>({
        name: bucket,
        namespace,
        context: this.#context,
        cacheScope: this.#options.cacheScope,
      }),
      leases: 0,
      pinned,
    };
    this.#open.set(key, open);
    return open;
  }

  /** Closes the least recently used bucket nothing holds, or refuses with 503 when every one is held. */
  #makeRoom(): void {
    for (const [key, open] of this.#open) {
      if (open.pinned || open.leases > 0) continue;
      this.#open.delete(key);
      open.bucket.close();
      this.#evicted += 1;
      return;
    }
    throw new HttpError(
      503,
      'TOO_MANY_BUCKETS',
      `${this.#open.size} buckets are open and in use (MAX_OPEN_BUCKETS=${this.#options.maxOpen}); retry shortly.`,
      { 'Retry-After': '1' },
    );
  }
}
