import { ClosedError } from '../errors.js';
import type { Clock } from '../types.js';

/**
 * Waits `ms` on the injected clock. Rejects with the signal's reason (or a {@link ClosedError}) when
 * `signal` aborts first; the timer is cleared either way.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const abortReason = (): unknown =>
      signal?.reason instanceof Error ? signal.reason : new ClosedError('the wait was aborted');
    if (signal?.aborted) {
      reject(abortReason());
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(abortReason());
    };
    const timer = clock.setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
      { unref: true },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
