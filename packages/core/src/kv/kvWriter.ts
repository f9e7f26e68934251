import { Backoff } from '../cluster/backoff.js';
import type { KubeClient } from '../cluster/kubeClient.js';
import type { KubeObject } from '../cluster/kubeObject.js';
import { resourcePath } from '../cluster/resources.js';
import { sleep } from '../cluster/sleep.js';
import {
  ConflictError,
  InvalidArgumentError,
  KubeObjectNotFoundError,
  KvConflictError,
  KvObjectTakenError,
  KvValueTooLargeError,
} from '../errors.js';
import type { Clock, Logger, Random } from '../types.js';
import type { BackendAdapter, Entries } from './kvBackend.js';
import { type KeyChange, type Plan, type PlanContext, plan, type ShardWrite } from './kvPlan.js';
import { isAmbiguous, newWriteId, reconcileWrite, WRITE_ANNOTATION } from './kvReconcile.js';
import { BUCKET_LABEL, type Shard, shardIndexOf, shardMetadata, shardName } from './kvShards.js';
import type { BucketSource } from './kvSource.js';

export interface WriterSettings extends PlanContext {
  readonly client: KubeClient;
  readonly source: BucketSource;
  readonly adapter: BackendAdapter;
  readonly namespace: string;
  readonly maxAttempts: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/** What a write did to one key. */
export interface WriteOutcome {
  /** The version of the key's object after the write; undefined for a key that is (still) absent. */
  readonly version: string | undefined;
  /** The key had a value before. */
  readonly existed: boolean;
  readonly changed: boolean;
}

/**
 * Applies key changes with compare-and-set: each object is replaced (PUT) with the
 * `metadata.resourceVersion` it was read at, so a concurrent write to the same object makes the
 * server answer 409 and the changes are decided again on a fresh read from the API server, after a
 * jittered, growing wait. One object is written per round; keys of several objects take several rounds.
 */
export async function writeKeys(
  settings: WriterSettings,
  changes: readonly KeyChange[],
  signal?: AbortSignal,
): Promise<Map<string, WriteOutcome>> {
  const { source, maxAttempts, clock, random, logger, bucket } = settings;
  const pending = new Map(changes.map((change) => [change.key, change]));
  const outcomes = new Map<string, WriteOutcome>();
  const backoff = new Backoff({
    initialMs: settings.retryInitialMs,
    maxMs: settings.retryMaxMs,
    resetAfterMs: Number.POSITIVE_INFINITY,
    clock,
    random,
  });
  let fromCache = source.cache.synced();
  let failures = 0;
  let lastGrowth: number | undefined;
  /** Counts a round lost to other writers, waits a growing jittered time, gives up after maxAttempts. */
  const lostRound = async (error: unknown): Promise<void> => {
    failures += 1;
    if (failures >= maxAttempts) {
      throw new KvConflictError(
        `KV bucket "${bucket}": ${[...pending.keys()].map((k) => `"${k}"`).join(', ')} could not be written: ` +
          `${failures} attempts in a row lost a race with other writers. Retry later, or write less often.`,
        { cause: error, details: { bucket, keys: [...pending.keys()], attempts: failures } },
      );
    }
    const delayMs = backoff.next();
    logger.debug(
      { bucket, keys: [...pending.keys()], attempt: failures, delayMs },
      'kv write conflicted; retrying',
    );
    await sleep(clock, delayMs, signal);
  };
  while (pending.size > 0) {
    const view = fromCache ? source.cached() : await source.consistent(signal);
    let next: Plan;
    try {
      next = plan(view, [...pending.values()], settings);
    } catch (error) {
      // A cached view may lag: decide a failed ifVersion or a full object again on the server's copy.
      if (fromCache && (error instanceof KvConflictError || error instanceof KvValueTooLargeError)) {
        fromCache = false;
        continue;
      }
      throw error;
    }
    try {
      if (next.kind === 'grow') {
        // Growing to the same object again means the last growth did not show in a fresh read:
        // back off like a lost race, and give up after maxAttempts.
        if (lastGrowth === next.nextIndex) await lostRound(undefined);
        lastGrowth = next.nextIndex;
        await grow(settings, next.seal, next.nextIndex, signal);
        fromCache = false;
        continue;
      }
      for (const { key, current } of next.unchanged) {
        outcomes.set(key, { version: current?.version, existed: current !== undefined, changed: false });
        pending.delete(key);
      }
      const write = next.writes[0];
      if (!write) break;
      const written = await writeShard(settings, write, signal);
      if (!written) {
        // The write got no answer and did not happen: decide it again on a fresh read.
        await lostRound(undefined);
        fromCache = false;
        continue;
      }
      source.remember(written);
      const version = written.metadata?.resourceVersion;
      for (const key of write.keys) {
        outcomes.set(key, { version, existed: write.existed.get(key) === true, changed: true });
        pending.delete(key);
      }
      fromCache = source.cache.synced();
    } catch (error) {
      // A 404 on a replace means the object went away meanwhile; on a create, that the namespace is missing.
      const replacing = next.kind === 'write' && next.writes[0]?.shard !== undefined;
      const lostRace =
        error instanceof ConflictError || (error instanceof KubeObjectNotFoundError && replacing);
      if (!lostRace) throw tooLargeFromServer(error, bucket);
      await lostRound(error);
      fromCache = false;
    }
  }
  return outcomes;
}

function objectPath(settings: WriterSettings, name?: string): string {
  return resourcePath(settings.adapter.resource, settings.namespace, name);
}

function body(
  settings: WriterSettings,
  base: KubeObject,
  index: number,
  sealed: boolean,
  entries: Entries,
  writeId = newWriteId(),
) {
  const { managedFields: _m, ...metadata } = shardMetadata(base, settings.bucket, index, sealed) ?? {};
  metadata.annotations = { ...metadata.annotations, [WRITE_ANNOTATION]: writeId };
  return settings.adapter.write({ ...base, metadata }, entries);
}

/**
 * Writes one object. When the answer is lost (or the server fails in a way that may follow a commit),
 * the object is read back to learn whether the write happened: resolves the written object, or
 * undefined when it did not happen and may be decided again.
 */
async function writeShard(
  settings: WriterSettings,
  write: ShardWrite,
  signal?: AbortSignal,
): Promise<KubeObject | undefined> {
  const { client, adapter, namespace, bucket, clock, random } = settings;
  const shard = write.shard;
  const writeId = newWriteId();
  const name = shard?.name ?? bucket;
  try {
    if (!shard) {
      const base = { apiVersion: 'v1', kind: adapter.kind, metadata: { name: bucket, namespace } };
      return await client.request<KubeObject>('POST', objectPath(settings), {
        body: body(settings, base, 0, false, write.entries, writeId),
        signal,
      });
    }
    // metadata.resourceVersion stays in the body: the server replaces only that version (409 otherwise).
    return await client.request<KubeObject>('PUT', objectPath(settings, shard.name), {
      body: body(settings, shard.object, shard.index, shard.sealed, write.entries, writeId),
      signal,
    });
  } catch (error) {
    if (!isAmbiguous(error)) throw error;
    settings.logger.debug({ bucket, object: name, err: error }, 'kv write got no answer; reading it back');
    const target = { client, resource: adapter.resource, namespace, name, writeId, clock, random, signal };
    return reconcileWrite({ ...target, baseVersion: shard?.version }, error);
  }
}

/** Seals the unsealed object (compare-and-set) and creates the next one; losing either race is fine. */
async function grow(
  settings: WriterSettings,
  seal: Shard | undefined,
  nextIndex: number,
  signal?: AbortSignal,
): Promise<void> {
  const { client, adapter, namespace, bucket, source } = settings;
  if (seal) {
    const sealed = await client.request<KubeObject>('PUT', objectPath(settings, seal.name), {
      body: body(settings, seal.object, seal.index, true, seal.entries),
      signal,
    });
    source.remember(sealed);
  }
  const name = shardName(bucket, nextIndex);
  const base = { apiVersion: 'v1', kind: adapter.kind, metadata: { name, namespace } };
  try {
    const created = await client.request<KubeObject>('POST', objectPath(settings), {
      body: body(settings, base, nextIndex, false, new Map()),
      signal,
    });
    source.remember(created);
    settings.logger.info({ bucket, namespace, object: name }, 'kv bucket grew by one object');
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    // Another writer of this bucket may have created it first; anything else holding the name is
    // not ours to adopt.
    const existing = await client
      .request<KubeObject>('GET', objectPath(settings, name), { signal })
      .catch((readError: unknown) => {
        if (readError instanceof KubeObjectNotFoundError) return undefined;
        throw readError;
      });
    if (existing && shardIndexOf(existing, bucket) !== nextIndex) {
      throw new KvObjectTakenError(
        `KV bucket "${bucket}" must grow into ${adapter.kind} "${name}", but an object it does not own ` +
          `(labelled for ${existing.metadata?.labels?.[BUCKET_LABEL] ? `bucket "${existing.metadata.labels[BUCKET_LABEL]}"` : 'no bucket'}) ` +
          'holds that name; nothing was written. Rename or delete that object.',
        { cause: error, details: { bucket, namespace, object: name } },
      );
    }
    if (existing) source.remember(existing);
  }
}

/** The server's own size check (422 "Too long") as a {@link KvValueTooLargeError}. */
function tooLargeFromServer(error: unknown, bucket: string): unknown {
  if (error instanceof InvalidArgumentError && /too long|too large|exceeds/i.test(error.message)) {
    return new KvValueTooLargeError(
      `KV bucket "${bucket}": the API server refused the write as too large; nothing was written. ${error.message}`,
      { cause: error, details: { bucket } },
    );
  }
  return error;
}
