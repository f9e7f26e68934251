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

type IncrCallback = (error: Error | null, result: { current: number; ttl: number }) => void;

/**
 * A store for `@fastify/rate-limit` that counts with {@link TokenBuckets} (sustained rate plus burst)
 * instead of fixed windows; pass it as `store` with `max: burst`. The plugin's headers and Retry-After
 * then say when the next token comes.
 */
export function tokenBucketStore(
  perSecond: number,
  burst: number,
): new () => {
  incr(key: string, callback: IncrCallback): void;
  child(): unknown;
} {
  const buckets = new TokenBuckets(perSecond, burst);
  return class TokenBucketStore {
    incr(key: string, callback: IncrCallback): void {
      const { allowed, remaining, waitMs } = buckets.takeDetailed(key);
      callback(null, { current: allowed ? burst - remaining : burst + 1, ttl: waitMs });
    }
    child(): unknown {
      return this;
    }
  };
}
