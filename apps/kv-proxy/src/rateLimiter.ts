/**
 * Token buckets per caller: `burst` requests at once, refilled at `perSecond`. No timers: buckets
 * refill when asked. At most `maxCallers` are tracked; the least recently seen is forgotten first.
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly maxCallers = 100_000,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(caller: string): number {
    const now = this.now();
    const bucket = this.#buckets.get(caller) ?? { tokens: this.burst, at: now };
    this.#buckets.delete(caller);
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (this.#buckets.size >= this.maxCallers) this.#buckets.delete(this.#buckets.keys().next().value!);
    this.#buckets.set(caller, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perSecond);
  }
}
