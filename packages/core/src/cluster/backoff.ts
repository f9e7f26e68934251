import type { Clock, Random } from '../types.js';

// The one backoff of core: the exponential ceiling, full jitter for retries of a call, equal jitter
// (with a reset after a healthy period) for reconnecting watches and retried writes.

/** `baseMs x 2^attempt`, at most `maxMs` (attempt 0 is the first delay). */
export function exponentialDelay(attempt: number, baseMs: number, maxMs = Number.POSITIVE_INFINITY): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(Math.max(0, attempt), 30));
}

/**
 * Delay before retry number `retry` (0 for the first retry), with "full jitter": a uniform draw in
 * [0, min(maxMs, baseMs x 2^retry)). Full jitter spreads the retries of many clients best (AWS
 * architecture blog, "Exponential Backoff And Jitter").
 */
export function fullJitterBackoff(retry: number, baseMs: number, maxMs: number, random: Random): number {
  return random() * exponentialDelay(retry, baseMs, maxMs);
}

export interface BackoffSettings {
  /** First delay, in ms. */
  initialMs: number;
  /** Largest delay, in ms. */
  maxMs: number;
  /** A connection healthy this long resets the delay to `initialMs`, in ms. */
  resetAfterMs: number;
  clock: Clock;
  random: Random;
}

/**
 * Jittered exponential backoff ("equal jitter": half the delay fixed, half random) that starts over
 * after a healthy period, so one blip after hours of health does not wait as long as a crash loop.
 */
export class Backoff {
  readonly #settings: BackoffSettings;
  #attempt = 0;
  #healthySince: number | undefined;

  constructor(settings: BackoffSettings) {
    this.#settings = settings;
  }

  /** Failures since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** Marks the start of a healthy period (a watch opened, a list succeeded). */
  healthy(): void {
    this.#healthySince ??= this.#settings.clock.now();
  }

  /** Delay before the next try after a failure; at least `minMs` (a server's `Retry-After`). */
  next(minMs = 0): number {
    const { initialMs, maxMs, resetAfterMs, clock, random } = this.#settings;
    if (this.#healthySince !== undefined && clock.now() - this.#healthySince >= resetAfterMs)
      this.#attempt = 0;
    this.#healthySince = undefined;
    const base = exponentialDelay(this.#attempt, initialMs, maxMs);
    this.#attempt += 1;
    return Math.max(minMs, base / 2 + random() * (base / 2));
  }
}
