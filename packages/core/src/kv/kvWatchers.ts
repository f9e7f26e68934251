import type { KubeObject } from '../cluster/kubeObject.js';
import type { WatchCache } from '../cluster/watchCache.js';
import type { Logger } from '../types.js';
import type { BackendAdapter, Entries } from './kvBackend.js';
import { type Codec, sameStored } from './kvCodec.js';
import { shardIndexOf } from './kvShards.js';
import type { KvChange, KvListener } from './kvTypes.js';

interface Subscription<T> {
  readonly prefix: string;
  readonly listener: KvListener<T>;
}

export interface KvWatchersOptions<T> {
  readonly cache: WatchCache;
  readonly adapter: BackendAdapter;
  readonly codec: Codec<T>;
  readonly namespace: string;
  readonly bucket: string;
  readonly logger: Logger;
}

/**
 * Turns the shared cache's object events into per-key changes of one bucket, for the listeners of
 * `watch()`. Listens to the cache only while someone watches.
 */
export class KvWatchers<T> {
  readonly #options: KvWatchersOptions<T>;
  readonly #subscriptions = new Set<Subscription<T>>();
  readonly #onAdd = (object: KubeObject): void => this.#changed(object, undefined);
  readonly #onUpdate = (object: KubeObject, previous: KubeObject): void => this.#changed(object, previous);
  readonly #onDelete = (object: KubeObject): void => this.#changed(undefined, object);

  constructor(options: KvWatchersOptions<T>) {
    this.#options = options;
  }

  add(prefix: string, listener: KvListener<T>): () => void {
    const subscription = { prefix, listener };
    if (this.#subscriptions.size === 0) this.#attach();
    this.#subscriptions.add(subscription);
    return () => {
      if (!this.#subscriptions.delete(subscription)) return;
      if (this.#subscriptions.size === 0) this.#detach();
    };
  }

  clear(): void {
    if (this.#subscriptions.size > 0) this.#detach();
    this.#subscriptions.clear();
  }

  #attach(): void {
    const { cache } = this.#options;
    cache.on('add', this.#onAdd).on('update', this.#onUpdate).on('delete', this.#onDelete);
  }

  #detach(): void {
    const { cache } = this.#options;
    cache.off('add', this.#onAdd).off('update', this.#onUpdate).off('delete', this.#onDelete);
  }

  #entriesOf(object: KubeObject | undefined): Entries | undefined {
    const { namespace, bucket, adapter } = this.#options;
    if (!object || object.metadata?.namespace !== namespace) return undefined;
    return shardIndexOf(object, bucket) === undefined ? undefined : adapter.read(object);
  }

  #changed(object: KubeObject | undefined, previous: KubeObject | undefined): void {
    const after = this.#entriesOf(object);
    const before = this.#entriesOf(previous);
    if (!after && !before) return;
    const version = (object ?? previous)?.metadata?.resourceVersion ?? '';
    const keys = new Set([...(before?.keys() ?? []), ...(after?.keys() ?? [])]);
    for (const key of keys) {
      const next = after?.get(key);
      if (sameStored(before?.get(key), next)) continue;
      const interested = [...this.#subscriptions].filter((s) => key.startsWith(s.prefix));
      if (interested.length === 0) continue;
      let change: KvChange<T>;
      if (next === undefined) change = { type: 'delete', key, version };
      else {
        try {
          change = { type: 'set', key, value: this.#options.codec.decode(next, key), version };
        } catch (error) {
          this.#options.logger.warn(
            { err: error, bucket: this.#options.bucket, key },
            'kv watch skipped a value it cannot decode',
          );
          continue;
        }
      }
      for (const { listener } of interested) {
        try {
          listener(change);
        } catch (error) {
          this.#options.logger.error(
            { err: error, bucket: this.#options.bucket, key },
            'a kv watch listener threw; ignored',
          );
        }
      }
    }
  }
}
