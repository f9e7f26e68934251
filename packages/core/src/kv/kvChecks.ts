import { KvConflictError, KvValueTooLargeError } from '../errors.js';
import type { StoredValue } from './kvCodec.js';
import type { Current } from './kvPlan.js';
import { entryBytes } from './kvShards.js';

/** Throws {@link KvValueTooLargeError} when an entry alone passes the room of one object. */
export function assertFits(
  bucket: string,
  kind: string,
  key: string,
  stored: StoredValue,
  maxBytes: number,
): void {
  const bytes = entryBytes(key, stored);
  if (bytes <= maxBytes) return;
  throw new KvValueTooLargeError(
    `KV bucket "${bucket}": key "${key}" with its value takes ${bytes} bytes, more than the ${maxBytes} one ` +
      `${kind} holds; nothing was written. Store large values elsewhere (an object store) and keep a reference here.`,
    { details: { bucket, key, bytes, maxObjectBytes: maxBytes } },
  );
}

/** Throws {@link KvConflictError} unless the key is at `ifVersion` (when one is asked for). */
export function assertVersion(
  bucket: string,
  key: string,
  current: Current | undefined,
  ifVersion: string | undefined,
): void {
  if (ifVersion === undefined || current?.version === ifVersion) return;
  throw new KvConflictError(
    current
      ? `KV bucket "${bucket}": key "${key}" is at version ${current.version}, not ${ifVersion}; nothing was written. Read it again and retry.`
      : `KV bucket "${bucket}": key "${key}" does not exist, so it is not at version ${ifVersion}; nothing was written.`,
    { details: { bucket, key, expected: ifVersion, actual: current?.version } },
  );
}
