import { KvObjectTakenError, KvValueTooLargeError } from '../errors.js';
import type { BackendAdapter, Entries } from './kvBackend.js';
import { type StoredValue, sameStored } from './kvCodec.js';
import { BUCKET_LABEL, type BucketView, entryBytes, locate, openShard, type Shard } from './kvShards.js';

/** What a key holds before a write: its stored value and the version of its object. */
export interface Current {
  readonly stored: StoredValue;
  readonly version: string;
}

/**
 * Decides a key's next value from its current one: a stored value to write, `null` to delete, or
 * `undefined` to leave it. May throw (a failed `ifVersion`) to stop the write.
 */
export type Decide = (current: Current | undefined) => StoredValue | null | undefined;

export interface KeyChange {
  readonly key: string;
  readonly decide: Decide;
}

/** A key whose decision needs no write: its value (if any) and version stay. */
export interface Unchanged {
  readonly key: string;
  readonly current: Current | undefined;
}

/** The new entries of one object: an existing shard, or object 0 when the bucket has none yet. */
export interface ShardWrite {
  readonly shard: Shard | undefined;
  readonly entries: Entries;
  readonly keys: string[];
  /** Keys that had no value before (they need the room of an unsealed object). */
  readonly added: string[];
  /** The decision per key, to report what was written. */
  readonly existed: Map<string, boolean>;
}

export type Plan =
  | { readonly kind: 'write'; readonly writes: ShardWrite[]; readonly unchanged: Unchanged[] }
  /** The unsealed object (if any) has no room for the new keys: seal it and add the next object. */
  | { readonly kind: 'grow'; readonly seal: Shard | undefined; readonly nextIndex: number };

export interface PlanContext {
  readonly bucket: string;
  readonly adapter: BackendAdapter;
  readonly maxObjectBytes: number;
}

function sizeOf(entries: Entries): number {
  let total = 0;
  for (const [key, stored] of entries) total += entryBytes(key, stored);
  return total;
}

function tooLarge(ctx: PlanContext, shard: Shard, keys: string[]): KvValueTooLargeError {
  const room = ctx.maxObjectBytes - shard.bytes;
  return new KvValueTooLargeError(
    `KV bucket "${ctx.bucket}": ${keys.map((k) => `"${k}"`).join(', ')} no longer fit${keys.length === 1 ? 's' : ''} ` +
      `in ${ctx.adapter.kind} "${shard.name}" (${Math.max(0, room)} bytes free of ${ctx.maxObjectBytes}); nothing was written. ` +
      'A key never moves between objects (a move cannot be atomic); delete it and set it again to place it in the ' +
      "bucket's newest object, or store smaller values.",
    { details: { bucket: ctx.bucket, object: shard.name, keys, maxObjectBytes: ctx.maxObjectBytes } },
  );
}

function headTaken(ctx: PlanContext, takenBy: { name: string; owner: string }): KvObjectTakenError {
  return new KvObjectTakenError(
    `KV bucket "${ctx.bucket}": ${ctx.adapter.kind} "${takenBy.name}" exists and belongs to KV bucket ` +
      `"${takenBy.owner}" (label ${BUCKET_LABEL}), so this bucket cannot use it; nothing was written. ` +
      'Use another bucket name.',
    { details: { bucket: ctx.bucket, object: takenBy.name, owner: takenBy.owner } },
  );
}

/**
 * Works out the writes of a set of key changes against one view of the bucket: each key in the object
 * that holds it, new keys in the unsealed object. Throws {@link KvValueTooLargeError} (before anything
 * is written) when a key that exists no longer fits its object, and {@link KvObjectTakenError} when
 * the bucket's first object would have to be created under a name another bucket's object holds.
 */
export function plan(view: BucketView, changes: readonly KeyChange[], ctx: PlanContext): Plan {
  const open = openShard(view);
  const writes = new Map<Shard | undefined, ShardWrite>();
  const unchanged: Unchanged[] = [];
  for (const { key, decide } of changes) {
    const holder = locate(view, key);
    const stored = holder?.entries.get(key);
    const current = holder && stored ? { stored, version: holder.version } : undefined;
    const next = decide(current);
    if (next === undefined || (next === null && !holder) || (next !== null && sameStored(next, stored))) {
      unchanged.push({ key, current });
      continue;
    }
    const target = holder ?? open;
    let write = writes.get(target);
    if (!write) {
      write = { shard: target, entries: new Map(target?.entries), keys: [], added: [], existed: new Map() };
      writes.set(target, write);
    }
    if (next === null) write.entries.delete(key);
    else write.entries.set(key, next);
    write.keys.push(key);
    write.existed.set(key, holder !== undefined);
    if (!holder) write.added.push(key);
  }
  if (view.takenBy && writes.has(undefined)) throw headTaken(ctx, view.takenBy);
  for (const write of writes.values()) {
    if (sizeOf(write.entries) <= ctx.maxObjectBytes) continue;
    const withoutNew = new Map(write.entries);
    for (const key of write.added) withoutNew.delete(key);
    const shard = write.shard;
    if (shard && (write.added.length === 0 || sizeOf(withoutNew) > ctx.maxObjectBytes)) {
      const grown = write.keys.filter((key) => !write.added.includes(key));
      throw tooLarge(ctx, shard, grown);
    }
    const added = write.added.map((k) => `"${k}"`).join(', ');
    if (!shard || shard.entries.size === 0) {
      throw new KvValueTooLargeError(
        `KV bucket "${ctx.bucket}": the new entries ${added} together pass the ${ctx.maxObjectBytes} bytes one ` +
          `${ctx.adapter.kind} holds; nothing was written. Write them in smaller batches.`,
        { details: { bucket: ctx.bucket, keys: write.added, maxObjectBytes: ctx.maxObjectBytes } },
      );
    }
    if (view.shards.length + 1 > ctx.adapter.maxObjects) {
      throw new KvValueTooLargeError(
        `KV bucket "${ctx.bucket}": ${added} do not fit in ${ctx.adapter.kind} "${shard.name}" ` +
          `(${ctx.maxObjectBytes - shard.bytes} bytes free of ${ctx.maxObjectBytes}), and ${ctx.adapter.oneObject}; ` +
          'nothing was written. Delete entries.',
        { details: { bucket: ctx.bucket, keys: write.added, maxObjectBytes: ctx.maxObjectBytes } },
      );
    }
    return { kind: 'grow', seal: shard, nextIndex: view.shards.length };
  }
  if (!open && view.shards.length > 0 && writes.has(undefined)) {
    // Every object is sealed and the next one is not there yet (being created, or its creator died).
    return { kind: 'grow', seal: undefined, nextIndex: view.shards.length };
  }
  return { kind: 'write', writes: [...writes.values()], unchanged };
}
