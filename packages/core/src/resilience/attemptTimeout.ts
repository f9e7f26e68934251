import { CallTimeoutError } from '../errors.js';
import type { Clock } from '../types.js';

export interface AttemptTimeoutOptions {
  /** Time the attempt may take, in ms; `Infinity` for none. */
  timeoutMs: number;
  clock: Clock;
  /** The caller's signal: aborting it aborts the attempt and rejects with its reason. */
  signal?: AbortSignal | undefined;
  /** What is being attempted, for the timeout message (e.g. "call to my-backend on 10.0.0.1:80"). */
  what: string;
}

/**
 * Runs `fn` with an `AbortSignal` that aborts after `timeoutMs` (with a {@link CallTimeoutError} as
 * its reason) or when the caller's signal aborts. Rejects at that moment even if `fn` ignores the
 * signal, so a hung endpoint never holds the caller past the timeout.
 */
export function runWithTimeout<T>(
  fn: (signal: AbortSignal) => Promise<T>,
  options: AttemptTimeoutOptions,
): Promise<T> {
  const { timeoutMs, clock, signal: parent, what } = options;
  return new Promise<T>((resolve, reject) => {
    if (parent?.aborted) return reject(parent.reason);
    const controller = new AbortController();
    let settled = false;
    let timer: unknown;
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
      return true;
    };
    const onParentAbort = (): void => {
      if (!settle()) return;
      controller.abort(parent?.reason);
      reject(parent?.reason);
    };
    if (Number.isFinite(timeoutMs)) {
      timer = clock.setTimeout(() => {
        if (!settle()) return;
        const error = new CallTimeoutError(
          `The ${what} did not finish within ${timeoutMs} ms and was aborted. The endpoint may be hung or overloaded; raise \`timeoutMs\` if the work is expected to take longer.`,
          { details: { timeoutMs } },
        );
        controller.abort(error);
        reject(error);
      }, timeoutMs);
    }
    parent?.addEventListener('abort', onParentAbort, { once: true });
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(fn(controller.signal));
    } catch (error) {
      if (settle()) reject(error);
      return;
    }
    pending.then(
      (value) => {
        if (settle()) resolve(value);
      },
      (error: unknown) => {
        if (settle()) reject(error);
      },
    );
  });
}
