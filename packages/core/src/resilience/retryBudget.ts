import { systemClock } from '../clock.js';
import { assertRange, withDefaults } from '../options.js';
import type { Clock } from '../types.js';

export interface RetryBudgetOptions {
  /**
   * Retries allowed as a share of requests over the window, in percent.
   * @default 20
   */
  percent?: number;
  /**
   * Retries always allowed per second, so services with little traffic can still retry.
   * @default 10
   */
  minRetriesPerSecond?: number;
  /**
   * Length of the sliding window, in ms.
   * @default 10000
   */
  windowMs?: number;
  /** @default systemClock */
  clock?: Clock;
}

const DEFAULTS: Readonly<Required<RetryBudgetOptions>> = Object.freeze({
  percent: 20,
  minRetriesPerSecond: 10,
  windowMs: 10_000,
  clock: systemClock,
});

const BUCKETS = 10;

export interface RetryBudgetStatus {
  /** Requests in the window. */
  readonly requests: number;
  /** Retries in the window. */
  readonly retries: number;
  /** Retries still allowed now. */
  readonly available: number;
}

/**
 * A retry budget after Finagle's: over a sliding window, retries may be at most `percent` of the
 * requests plus `minRetriesPerSecond` x window seconds. It keeps retries from multiplying load on a
 * service that is already failing (a retry storm). The window is ten buckets in fixed arrays, so
 * recording allocates nothing.
 */
export class RetryBudget {
  readonly #o: Readonly<Required<RetryBudgetOptions>>;
  readonly #bucketMs: number;
  readonly #requests = new Float64Array(BUCKETS);
  readonly #retries = new Float64Array(BUCKETS);
  #current = 0;
  #currentStart: number;

  constructor(options?: RetryBudgetOptions) {
    this.#o = Object.freeze(withDefaults(DEFAULTS, options));
    assertRange('RetryBudget', 'percent', this.#o.percent, 0, 1000);
    assertRange('RetryBudget', 'minRetriesPerSecond', this.#o.minRetriesPerSecond, 0);
    assertRange('RetryBudget', 'windowMs', this.#o.windowMs, BUCKETS);
    this.#bucketMs = this.#o.windowMs / BUCKETS;
    this.#currentStart = this.#o.clock.now();
  }

  /** Records one request (a call, not each of its attempts). */
  recordRequest(): void {
    this.#advance();
    this.#requests[this.#current]!++;
  }

  /** Takes one retry from the budget; `false` when none is left. */
  tryRetry(): boolean {
    this.#advance();
    if (this.#available() < 1) return false;
    this.#retries[this.#current]!++;
    return true;
  }

  status(): RetryBudgetStatus {
    this.#advance();
    return {
      requests: sum(this.#requests),
      retries: sum(this.#retries),
      available: Math.floor(this.#available()),
    };
  }

  #available(): number {
    const { percent, minRetriesPerSecond, windowMs } = this.#o;
    return (
      (minRetriesPerSecond * windowMs) / 1000 + (percent / 100) * sum(this.#requests) - sum(this.#retries)
    );
  }

  #advance(): void {
    const elapsed = this.#o.clock.now() - this.#currentStart;
    if (elapsed < this.#bucketMs) return;
    const steps = Math.floor(elapsed / this.#bucketMs);
    for (let k = 1; k <= Math.min(steps, BUCKETS); k++) {
      const i = (this.#current + k) % BUCKETS;
      this.#requests[i] = 0;
      this.#retries[i] = 0;
    }
    this.#current = (this.#current + steps) % BUCKETS;
    this.#currentStart += steps * this.#bucketMs;
  }
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i]!;
  return total;
}
