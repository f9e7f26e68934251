import type { WatchCache } from '../cluster/watchCache.js';
import { ForbiddenError, type KubeSmartError } from '../errors.js';

/**
 * Waits for a cache's first sync, but fails at once with the cache's {@link ForbiddenError} when the
 * API server refuses to list: that does not heal by waiting, and the error says which Role rule is missing.
 */
export async function waitForCache(
  cache: WatchCache,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (cache.synced()) return;
  const refused = cache.status().lastError;
  if (refused instanceof ForbiddenError) throw refused;
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  let onError: ((error: KubeSmartError) => void) | undefined;
  const forbidden = new Promise<never>((_, reject) => {
    onError = (error) => {
      if (error instanceof ForbiddenError) reject(error);
    };
    cache.on('error', onError);
  });
  const synced = cache.waitForSync({ timeoutMs, signal: stop.signal });
  try {
    await Promise.race([synced, forbidden]);
  } finally {
    if (onError) cache.off('error', onError);
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
    synced.catch(() => {});
  }
}
