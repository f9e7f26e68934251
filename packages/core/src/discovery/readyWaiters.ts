import { ClosedError } from '../errors.js';
import type { Clock } from '../types.js';

interface Waiter<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

/** Pending `ready()` calls: each settles once, on the first of resolveAll, rejectAll, timeout or abort. */
export class ReadyWaiters<T> {
  readonly #clock: Clock;
  readonly #waiters = new Set<Waiter<T>>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Waits; after `timeoutMs` rejects with `onTimeout()`. */
  wait(timeoutMs: number, signal: AbortSignal | undefined, onTimeout: () => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const settle = (fn: () => void): void => {
        this.#waiters.delete(waiter);
        this.#clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        fn();
      };
      const waiter: Waiter<T> = {
        resolve: (value) => settle(() => resolve(value)),
        reject: (error) => settle(() => reject(error)),
      };
      const onAbort = (): void => waiter.reject(signal?.reason ?? new ClosedError('the wait was aborted'));
      const timer = this.#clock.setTimeout(() => waiter.reject(onTimeout()), timeoutMs);
      this.#waiters.add(waiter);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  resolveAll(value: T): void {
    for (const waiter of [...this.#waiters]) waiter.resolve(value);
  }

  rejectAll(error: unknown): void {
    for (const waiter of [...this.#waiters]) waiter.reject(error);
  }
}
