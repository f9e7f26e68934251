import type { KubeObject } from '../cluster/kubeObject.js';
import type { BackendAdapter, Entries } from './kvBackend.js';
import { type StoredValue, storedBytes } from './kvCodec.js';

/**
 * How a bucket spans objects. Object 0 is named after the bucket; when a new key does not fit in the
 * last object, that object is sealed (an annotation written with compare-and-set) and object n+1,
 * `<bucket>.kv-<n+1>`, is created. No bucket may take such a name (see `assertBucketName`), so the
 * overflow objects of one bucket are never the head of another. Sealed objects take no new keys, only
 * updates and deletes of the keys they hold; a key never moves. So at most one object holds a key: a
 * new key goes only into the one unsealed object, and an object n+1 exists only after object n was
 * sealed. An object belongs to a bucket only when it says so (label and shard annotation); a
 * ConfigMap named like the bucket without a bucket label is adopted as its object 0, one labelled for
 * another bucket never is.
 */
export const BUCKET_LABEL = 'kubesmart.io/kv-bucket';
export const SHARD_ANNOTATION = 'kubesmart.io/kv-shard';
export const SEALED_ANNOTATION = 'kubesmart.io/kv-sealed';

/** One object of a bucket as read. */
export interface Shard {
  readonly index: number;
  readonly name: string;
  readonly object: KubeObject;
  readonly version: string;
  readonly sealed: boolean;
  readonly entries: Entries;
  /** Keys plus values, in bytes. */
  readonly bytes: number;
}

/** The objects of a bucket at one moment, in order, with where each key lives. */
export interface BucketView {
  readonly shards: readonly Shard[];
  /** Objects missing in the chain (an overflow object whose creation has not been seen yet). */
  readonly nextIndex: number;
  /** An object named like the bucket that another bucket owns: the bucket cannot be written. */
  readonly takenBy?: { readonly name: string; readonly owner: string };
}

/** Marks overflow object names: `<bucket>.kv-<n>`; bucket names may not end like this. */
export const OVERFLOW_SUFFIX = /\.kv-[0-9]+$/;

export function shardName(bucket: string, index: number): string {
  return index === 0 ? bucket : `${bucket}.kv-${index}`;
}

/** The overflow name of earlier releases (`<bucket>-<n>`), still read when label and annotation agree. */
function legacyShardName(bucket: string, index: number): string {
  return `${bucket}-${index}`;
}

/** The bucket an object is labelled for, if any. */
export function bucketOf(object: KubeObject): string | undefined {
  return object.metadata?.labels?.[BUCKET_LABEL];
}

export function entryBytes(key: string, stored: StoredValue): number {
  return Buffer.byteLength(key) + storedBytes(stored);
}

function sizeOf(entries: Entries): number {
  let total = 0;
  for (const [key, stored] of entries) total += entryBytes(key, stored);
  return total;
}

/** The shard index of an object of `bucket`, or undefined when the object is not one of its overflow objects. */
export function shardIndexOf(object: KubeObject, bucket: string): number | undefined {
  const meta = object.metadata;
  if (!meta?.name) return undefined;
  const owner = bucketOf(object);
  if (meta.name === bucket) return owner === undefined || owner === bucket ? 0 : undefined;
  if (owner !== bucket) return undefined;
  const index = Number(meta.annotations?.[SHARD_ANNOTATION]);
  if (!Number.isInteger(index) || index <= 0) return undefined;
  return meta.name === shardName(bucket, index) || meta.name === legacyShardName(bucket, index)
    ? index
    : undefined;
}

export function toShard(object: KubeObject, index: number, adapter: BackendAdapter): Shard {
  const entries = adapter.read(object);
  return {
    index,
    name: object.metadata?.name ?? '',
    object,
    version: object.metadata?.resourceVersion ?? '',
    sealed: object.metadata?.annotations?.[SEALED_ANNOTATION] === 'true',
    entries,
    bytes: sizeOf(entries),
  };
}

/**
 * Orders the objects of a bucket into a chain 0, 1, 2, ... and stops at the first gap: an object
 * after a gap cannot hold keys the chain does not account for, since it was created after its
 * predecessor was sealed.
 */
export function buildView(
  objects: Iterable<KubeObject>,
  bucket: string,
  shardOf: (object: KubeObject, index: number) => Shard,
): BucketView {
  const byIndex = new Map<number, KubeObject>();
  let takenBy: BucketView['takenBy'];
  for (const object of objects) {
    const index = shardIndexOf(object, bucket);
    if (index !== undefined) byIndex.set(index, object);
    else if (object.metadata?.name === bucket) takenBy = { name: bucket, owner: bucketOf(object) ?? '' };
  }
  const shards: Shard[] = [];
  for (let i = 0; byIndex.has(i); i++) shards.push(shardOf(byIndex.get(i)!, i));
  return takenBy ? { shards, nextIndex: shards.length, takenBy } : { shards, nextIndex: shards.length };
}

/** The shard holding `key` (the first one, should a broken chain hold it twice). */
export function locate(view: BucketView, key: string): Shard | undefined {
  for (const shard of view.shards) if (shard.entries.has(key)) return shard;
  return undefined;
}

/** The shard new keys go into: the first unsealed one; undefined when there is none yet. */
export function openShard(view: BucketView): Shard | undefined {
  return view.shards.find((shard) => !shard.sealed);
}

/** Every entry of the bucket, the first holder of a key winning. */
export function allEntries(view: BucketView): Map<string, { stored: StoredValue; shard: Shard }> {
  const result = new Map<string, { stored: StoredValue; shard: Shard }>();
  for (const shard of view.shards) {
    for (const [key, stored] of shard.entries) if (!result.has(key)) result.set(key, { stored, shard });
  }
  return result;
}

/** Metadata every object of a bucket carries once the engine has written it. */
export function shardMetadata(
  object: KubeObject,
  bucket: string,
  index: number,
  sealed: boolean,
): KubeObject['metadata'] {
  const meta = object.metadata ?? {};
  const annotations: Record<string, string> = {
    ...(meta.annotations ?? {}),
    [SHARD_ANNOTATION]: String(index),
  };
  if (sealed) annotations[SEALED_ANNOTATION] = 'true';
  return { ...meta, labels: { ...(meta.labels ?? {}), [BUCKET_LABEL]: bucket }, annotations };
}
