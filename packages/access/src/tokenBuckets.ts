/**
 * Token buckets per caller: `burst` requests at once, refilled at `perSecond`. No timers: buckets
 * refill when asked. At most `maxCallers` are tracked; the least recently seen is forgotten first.
 */
export class TokenBuckets {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    readonly maxCallers = 100_000,
    readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait. */
  take(caller: string): number {
    const { allowed, waitMs } = this.takeDetailed(caller);
    return allowed ? 0 : Math.ceil(waitMs / 1000);
  }

  /** Takes one token: whether it was allowed, the tokens left and the ms until the next token. */
  takeDetailed(caller: string): { allowed: boolean; remaining: number; waitMs: number } {
    const now = this.now();
    const bucket = this.#buckets.get(caller) ?? { tokens: this.burst, at: now };
    this.#buckets.delete(caller);
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    if (this.#buckets.size >= this.maxCallers) this.#buckets.delete(this.#buckets.keys().next().value!);
    this.#buckets.set(caller, bucket);
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    const waitMs = bucket.tokens >= 1 ? 0 : ((1 - bucket.tokens) / this.perSecond) * 1000;
    return { allowed, remaining: Math.floor(bucket.tokens), waitMs: Math.max(1, Math.ceil(waitMs)) };
  }
}
