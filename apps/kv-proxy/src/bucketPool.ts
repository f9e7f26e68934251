import { type EngineContext, KvBucket, type KvBucketStatus } from '@kubesmart/core';
import type { AllowList } from './allowList.js';

/** The string-or-bytes buckets the routes serve. */
export type ProxyBucket = KvBucket<string | Buffer>;

/**
 * One open {@link KvBucket} per namespace and bucket the proxy has served, all on the shared watch
 * caches of one engine context (one ConfigMap watch per namespace however many buckets).
 */
export class BucketPool {
  readonly #context: EngineContext;
  readonly #allow: AllowList;
  readonly #buckets = new Map<string, ProxyBucket>();

  constructor(context: EngineContext, allow: AllowList) {
    this.#context = context;
    this.#allow = allow;
  }

  /** The bucket, opened on first use; throws 404 outside the allow-list. */
  get(namespace: string, bucket: string): ProxyBucket {
    this.#allow.check(namespace, bucket);
    const key = `${namespace}/${bucket}`;
    let open = this.#buckets.get(key);
    if (!open) {
      open = new KvBucket<string | Buffer>({ name: bucket, namespace, context: this.#context });
      this.#buckets.set(key, open);
    }
    return open;
  }

  /**
   * Opens the allow-listed buckets (or, when any bucket is allowed, one per namespace to start the
   * namespace's cache), so `/readyz` reports the caches' sync.
   */
  warm(): void {
    for (const namespace of this.#allow.namespaces) {
      const names = this.#allow.buckets;
      for (const bucket of names.length ? names : ['kv-proxy']) this.get(namespace, bucket);
    }
  }

  status(): KvBucketStatus[] {
    return [...this.#buckets.values()].map((bucket) => bucket.status());
  }

  /** Every open bucket is synced (and at least one is open when namespaces are named). */
  ready(): boolean {
    return [...this.#buckets.values()].every((bucket) => bucket.status().synced);
  }

  close(): void {
    for (const bucket of this.#buckets.values()) bucket.close();
    this.#buckets.clear();
  }
}
