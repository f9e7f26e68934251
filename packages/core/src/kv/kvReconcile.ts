import { randomBytes } from 'node:crypto';
import { Backoff } from '../cluster/backoff.js';
import type { KubeClient } from '../cluster/kubeClient.js';
import { isUnreachable, statusOf } from '../cluster/kubeErrors.js';
import type { KubeObject } from '../cluster/kubeObject.js';
import { type ResourceRef, resourcePath } from '../cluster/resources.js';
import { sleep } from '../cluster/sleep.js';
import { KubeAPIUnavailableError, KubeObjectNotFoundError } from '../errors.js';
import type { Clock, Random } from '../types.js';
import { compareVersions } from './kvOverlay.js';

/** Every write of an object carries a fresh id here, so a write whose answer was lost can be recognised. */
export const WRITE_ANNOTATION = 'kubesmart.io/kv-write';

/** Read-backs tried before an outcome is reported unknown. */
const READ_BACK_ATTEMPTS = 5;
/** How long the history of the object is followed to find the write, in seconds. */
const HISTORY_TIMEOUT_SECONDS = 10;

export function newWriteId(): string {
  return randomBytes(9).toString('base64url');
}

/**
 * A write whose outcome is not known: no answer came (connection cut, timeout), or the server failed
 * in a way that may follow a commit (500, 504). Conflicts and other refusals are known outcomes.
 */
export function isAmbiguous(error: unknown): boolean {
  const status = statusOf(error);
  return isUnreachable(error) || status === 500 || status === 504;
}

export interface ReconcileTarget {
  readonly client: KubeClient;
  readonly resource: ResourceRef;
  readonly namespace: string;
  readonly name: string;
  /** The id the write carried in {@link WRITE_ANNOTATION}. */
  readonly writeId: string;
  /** The resourceVersion the write replaced; undefined for a create. */
  readonly baseVersion: string | undefined;
  readonly clock: Clock;
  readonly random: Random;
  readonly signal?: AbortSignal;
}

const writeIdOf = (object: KubeObject | undefined): string | undefined =>
  object?.metadata?.annotations?.[WRITE_ANNOTATION];

/**
 * Finds out whether a write whose answer was lost was committed: reads the object back (with a few
 * jittered retries while the API is unreachable) and, when someone wrote it since, follows its
 * history from the replaced version. Resolves the object as the write left it, or undefined when the
 * write did not happen (so it can be decided again and retried without applying twice). Throws
 * {@link KubeAPIUnavailableError} with `details.outcome: 'unknown'` when that cannot be told.
 */
export async function reconcileWrite(
  target: ReconcileTarget,
  failure: unknown,
): Promise<KubeObject | undefined> {
  const backoff = new Backoff({
    initialMs: 50,
    maxMs: 1000,
    resetAfterMs: Number.POSITIVE_INFINITY,
    clock: target.clock,
    random: target.random,
  });
  let last: unknown = failure;
  for (let attempt = 0; attempt < READ_BACK_ATTEMPTS; attempt += 1) {
    if (attempt > 0) await sleep(target.clock, backoff.next(), target.signal);
    try {
      const current = await readBack(target);
      if (current === undefined) return undefined;
      if (writeIdOf(current) === target.writeId) return current;
      // A create that did not leave our id was someone else's; a replace not committed leaves the version.
      if (target.baseVersion === undefined || current.metadata?.resourceVersion === target.baseVersion)
        return undefined;
      return await findInHistory(target, current.metadata?.resourceVersion);
    } catch (error) {
      if (!isAmbiguous(error)) throw unknownOutcome(target, error);
      last = error;
    }
  }
  throw unknownOutcome(target, last);
}

async function readBack(target: ReconcileTarget): Promise<KubeObject | undefined> {
  const { client, resource, namespace, name, signal } = target;
  try {
    return await client.request<KubeObject>('GET', resourcePath(resource, namespace, name), {
      signal,
      retryAfterRetries: 0,
    });
  } catch (error) {
    if (error instanceof KubeObjectNotFoundError) return undefined;
    throw error;
  }
}

/** Watches the object from the replaced version up to `untilVersion`, looking for the write's id. */
async function findInHistory(
  target: ReconcileTarget,
  untilVersion: string | undefined,
): Promise<KubeObject | undefined> {
  const { client, resource, namespace, name, writeId, baseVersion } = target;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(target.signal?.reason);
  target.signal?.addEventListener('abort', onAbort, { once: true });
  let found: KubeObject | undefined;
  let reached = false;
  try {
    await client.watch(
      resourcePath(resource, namespace),
      {
        resourceVersion: baseVersion,
        fieldSelector: `metadata.name=${name}`,
        allowWatchBookmarks: true,
        timeoutSeconds: HISTORY_TIMEOUT_SECONDS,
      },
      (event) => {
        const object = event.object as KubeObject;
        if (event.type !== 'BOOKMARK' && writeIdOf(object) === writeId) found = object;
        const order = compareVersions(object.metadata?.resourceVersion, untilVersion);
        if (found || (order !== undefined && order >= 0)) {
          reached = true;
          stop.abort();
        }
      },
      stop.signal,
      { idleTimeoutMs: HISTORY_TIMEOUT_SECONDS * 1000 },
    );
  } catch (error) {
    if (!reached) throw error;
  } finally {
    target.signal?.removeEventListener('abort', onAbort);
  }
  if (found) return found;
  if (reached) return undefined;
  throw new KubeAPIUnavailableError(`the history of ${name} ended before reaching version ${untilVersion}`);
}

function unknownOutcome(target: ReconcileTarget, cause: unknown): KubeAPIUnavailableError {
  return new KubeAPIUnavailableError(
    `the write of ${target.resource.resource} "${target.name}" got no answer and reading it back failed, so ` +
      'it may or may not have been applied. Read the key before writing it again.',
    { cause, details: { outcome: 'unknown', object: target.name, namespace: target.namespace } },
  );
}
