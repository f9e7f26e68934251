export interface FailureLimiterOptions {
  /** Failed authentications a source may have before it is refused. @default 10 */
  maxFailures?: number;
  /** Time over which failures are forgiven, in ms: one failure is forgotten every `windowMs / maxFailures`. @default 60000 */
  windowMs?: number;
  /** Sources tracked at most; the least recently failed is forgotten first. @default 50000 */
  maxSources?: number;
  /** Monotonic time in ms. @default performance.now */
  now?: () => number;
}

interface Tally {
  failures: number;
  at: number;
}

/**
 * Counts failed authentications per source (a client address): after `maxFailures` within the window
 * the source is refused without checking its credential, so guessing keys or sending random tokens is
 * bounded. Failures leak away at a steady rate; a success does not reset the count. No timers.
 */
export class FailureLimiter {
  readonly #max: number;
  readonly #leakMs: number;
  readonly #maxSources: number;
  readonly #now: () => number;
  readonly #tallies = new Map<string, Tally>();

  constructor(options: FailureLimiterOptions = {}) {
    this.#max = options.maxFailures ?? 10;
    this.#leakMs = (options.windowMs ?? 60_000) / this.#max;
    this.#maxSources = options.maxSources ?? 50_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Seconds the source must wait before its next attempt counts, or 0 when it may try. */
  retryAfterSeconds(source: string): number {
    const tally = this.#current(source);
    if (!tally || tally.failures < this.#max) return 0;
    return Math.max(1, Math.ceil(((tally.failures - this.#max + 1) * this.#leakMs) / 1000));
  }

  /** Records one failed authentication of `source`. */
  fail(source: string): void {
    const tally = this.#current(source) ?? { failures: 0, at: this.#now() };
    tally.failures += 1;
    this.#tallies.delete(source);
    if (this.#tallies.size >= this.#maxSources) this.#tallies.delete(this.#tallies.keys().next().value!);
    this.#tallies.set(source, tally);
  }

  #current(source: string): Tally | undefined {
    const tally = this.#tallies.get(source);
    if (!tally) return undefined;
    const now = this.#now();
    const leaked = Math.floor((now - tally.at) / this.#leakMs);
    if (leaked > 0) {
      tally.failures = Math.max(0, tally.failures - leaked);
      tally.at += leaked * this.#leakMs;
    }
    if (tally.failures === 0) {
      this.#tallies.delete(source);
      return undefined;
    }
    return tally;
  }
}
