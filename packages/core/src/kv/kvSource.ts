import type { KubeClient } from '../cluster/kubeClient.js';
import type { KubeList, KubeObject } from '../cluster/kubeObject.js';
import { resourcePath } from '../cluster/resources.js';
import type { WatchCache } from '../cluster/watchCache.js';
import { KubeObjectNotFoundError } from '../errors.js';
import type { BackendAdapter } from './kvBackend.js';
import { newerObject, ownCopyIsNewer } from './kvOverlay.js';
import { BUCKET_LABEL, type BucketView, buildView, type Shard, toShard } from './kvShards.js';

const BUCKET_INDEX = 'kubesmart.io/kv-bucket';

export interface BucketSourceOptions {
  readonly client: KubeClient;
  readonly cache: WatchCache;
  readonly adapter: BackendAdapter;
  readonly namespace: string;
  readonly bucket: string;
}

/**
 * Where a bucket's objects are read: the shared watch cache (plus this process's own latest writes,
 * so a read after a write sees it) or the API server. A consistent read lists the overflow objects
 * first and reads object 0 after, so a view that holds object n+1 also holds the seal of object n.
 */
export class BucketSource {
  readonly #options: BucketSourceOptions;
  /** Objects this process wrote, by name, until the cache catches up with them. */
  readonly #written = new Map<string, KubeObject>();
  /** Parsed objects: cached objects are replaced, never changed, so each is parsed once. */
  readonly #parsed = new WeakMap<KubeObject, Shard>();
  readonly #shardOf = (object: KubeObject, index: number): Shard => {
    let shard = this.#parsed.get(object);
    if (shard?.index !== index) {
      shard = toShard(object, index, this.#options.adapter);
      this.#parsed.set(object, shard);
    }
    return shard;
  };

  constructor(options: BucketSourceOptions) {
    this.#options = options;
    options.cache.addIndex(BUCKET_INDEX, (object) => object.metadata?.labels?.[BUCKET_LABEL]);
  }

  get cache(): WatchCache {
    return this.#options.cache;
  }

  /** The bucket's objects as the cache (and this process's writes) know them. */
  cached(): BucketView {
    const { cache, namespace, bucket } = this.#options;
    const objects = new Map<string, KubeObject>();
    const head = cache.get(namespace, bucket);
    if (head) objects.set(bucket, head);
    for (const object of cache.byIndex(BUCKET_INDEX, bucket)) {
      if (object.metadata?.namespace === namespace && object.metadata.name)
        objects.set(object.metadata.name, object);
    }
    const cacheVersion = (): string | undefined => cache.status().resourceVersion;
    for (const [name, mine] of this.#written) {
      if (ownCopyIsNewer(mine, objects.get(name), cacheVersion)) objects.set(name, mine);
      else this.#written.delete(name);
    }
    return buildView(objects.values(), bucket, this.#shardOf);
  }

  /** The bucket's objects as the API server has them now. */
  async consistent(signal?: AbortSignal): Promise<BucketView> {
    const { client, namespace, bucket, adapter } = this.#options;
    const objects: KubeObject[] = [];
    if (adapter.maxObjects > 1) {
      const list = await client.request<KubeList>('GET', resourcePath(adapter.resource, namespace), {
        query: { labelSelector: `${BUCKET_LABEL}=${bucket}` },
        signal,
      });
      objects.push(...(list.items ?? []));
    }
    if (!objects.some((object) => object.metadata?.name === bucket)) {
      const head = await this.#getHead(signal);
      if (head) objects.push(head);
    }
    for (const object of objects) this.remember(object);
    return buildView(objects, bucket, this.#shardOf);
  }

  /** Keeps an object this process wrote or read from the server, newer than the cache may be. */
  remember(object: KubeObject): void {
    const name = object.metadata?.name;
    if (!name) return;
    this.#written.set(name, newerObject(this.#written.get(name), object));
  }

  async #getHead(signal: AbortSignal | undefined): Promise<KubeObject | undefined> {
    const { client, namespace, bucket, adapter } = this.#options;
    try {
      return await client.request<KubeObject>('GET', resourcePath(adapter.resource, namespace, bucket), {
        signal,
      });
    } catch (error) {
      if (error instanceof KubeObjectNotFoundError) return undefined;
      throw error;
    }
  }
}
