import type { Clock, Random } from '../types.js';

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
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.max(minMs, base / 2 + random() * (base / 2));
  }
}
