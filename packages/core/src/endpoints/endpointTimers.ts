import type { Clock, TimerHandle } from '../types.js';
import type { EndpointState } from './endpointState.js';

/**
 * At most one pending timer per endpoint, on the injected clock: a breaker's open period, an
 * ejection's end. Starting one replaces the endpoint's pending timer; `cancel`, `close` clear them,
 * and nothing starts after `close`. Timers are unref'd, so they never keep a process alive.
 */
export class EndpointTimers {
  readonly #clock: Clock;
  readonly #timers = new Map<EndpointState, TimerHandle>();
  #closed = false;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `fire` after `ms`, in place of the endpoint's pending timer; does nothing once closed. */
  start(state: EndpointState, ms: number, fire: () => void): void {
    this.cancel(state);
    if (this.#closed) return;
    const handle = this.#clock.setTimeout(
      () => {
        this.#timers.delete(state);
        fire();
      },
      ms,
      { unref: true },
    );
    this.#timers.set(state, handle);
  }

  /** Clears the endpoint's pending timer, if any. */
  cancel(state: EndpointState): void {
    const handle = this.#timers.get(state);
    if (handle === undefined) return;
    this.#clock.clearTimeout(handle);
    this.#timers.delete(state);
  }

  /** Pending timers. */
  get size(): number {
    return this.#timers.size;
  }

  /** Clears every timer; later `start` calls do nothing. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const handle of this.#timers.values()) this.#clock.clearTimeout(handle);
    this.#timers.clear();
  }
}
