import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { ObjectStore } from '../store/objectStore.js';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject, KubeStatus } from '../types.js';

/** What a continue token holds: the revision of the first page and the last key returned. */
export interface ContinueToken {
  rv: string;
  after: string;
}

export const keyOf = (obj: KubeObject): string =>
  `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;

export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (typeof parsed.rv !== 'string' || typeof parsed.after !== 'string') throw new Error('shape');
    return parsed;
  } catch {
    throw badRequest('continue key is not valid: the token was not issued by this server');
  }
}

/**
 * 410 Expired for a continue token older than the compaction window, with a fresh token (in the
 * Status's `metadata.continue`) that goes on from the same key at the current revision, as
 * kube-apiserver answers.
 */
export class ExpiredContinueError extends KubeApiError {
  constructor(readonly freshContinue: string) {
    super(
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
  }

  override toStatus(): KubeStatus {
    return { ...super.toStatus(), metadata: { continue: this.freshContinue } };
  }
}

/**
 * The objects of a type as they were at `revision`, sorted like etcd keys: the current objects with
 * every later change undone. Throws {@link ExpiredContinueError} when that history is compacted.
 */
export function objectsAt(
  store: ObjectStore,
  rt: ResourceType,
  namespace: string | undefined,
  token: ContinueToken,
): KubeObject[] {
  const revision = Number(token.rv);
  const changes = Number.isInteger(revision) ? store.changesAfter(revision) : undefined;
  if (!changes) {
    throw new ExpiredContinueError(encodeContinue({ rv: String(store.revision), after: token.after }));
  }
  const inScope = (obj: KubeObject): boolean =>
    namespace === undefined || !rt.namespaced || obj.metadata.namespace === namespace;
  const objects = new Map(store.list(rt, namespace).map((obj) => [keyOf(obj), obj]));
  const mine = changes.filter((event) => event.resource === rt && inScope(event.object));
  for (let i = mine.length - 1; i >= 0; i -= 1) {
    const event = mine[i]!;
    const key = keyOf(event.object);
    if (event.type === 'ADDED') objects.delete(key);
    else if (event.type === 'MODIFIED' && event.previous) objects.set(key, event.previous);
    else if (event.type === 'DELETED') objects.set(key, beforeDeletion(event.object, mine.slice(0, i)));
  }
  return [...objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, obj]) => obj);
}

/** A deleted object as it was stored: its resourceVersion is that of its last change before the delete. */
function beforeDeletion(
  gone: KubeObject,
  earlier: readonly { revision: number; object: KubeObject }[],
): KubeObject {
  const last = [...earlier].reverse().find((event) => keyOf(event.object) === keyOf(gone));
  const resourceVersion = last ? String(last.revision) : gone.metadata.resourceVersion;
  return { ...gone, metadata: { ...gone.metadata, resourceVersion } };
}
