import { Redis } from 'ioredis';
import { rateLimitNamespace } from './rateLimitKey.js';
import { TokenBuckets } from './tokenBuckets.js';

type IncrCallback = (error: Error | null, result?: { current: number; ttl: number }) => void;

/** A counting store in the shape `@fastify/rate-limit` takes as `store` (with `max: burst`). */
export type RateLimitStore = new () => {
  incr(key: string, callback: IncrCallback): void;
  child(): unknown;
};

export interface RateLimitStoreOptions {
  /** Tokens added per second (the sustained rate). */
  perSecond: number;
  /** Tokens a caller may spend at once; pass the same number as the plugin's `max`. */
  burst: number;
  /** Redis URL: one budget per caller across every replica. Without it each replica counts alone. */
  redisUrl?: string | undefined;
  /** Service name, prefixing the counters in Redis so services sharing one Redis keep their own budgets. */
  service: string;
  /** Called with Redis connection errors (the plugin's `skipOnError` decides what a failed count does). */
  onError?: (error: Error) => void;
}

export interface RateLimitStoreHandle {
  readonly store: RateLimitStore;
  /** `true` when the counts are shared through Redis. */
  readonly shared: boolean;
  /** Closes the Redis connection, if any. */
  close(): Promise<void>;
}

/**
 * One token bucket in Redis, refilled from the Redis server's own clock (replicas' clocks may differ):
 * KEYS[1] the bucket, ARGV rate per ms, burst. Returns allowed (0/1), whole tokens left, ms to the next.
 */
const TAKE_SCRIPT = `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or burst
local at = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
local wait = 0
if tokens < 1 then wait = math.ceil((1 - tokens) / rate) end
return { allowed, math.floor(tokens), wait }
`;

type RedisWithTake = Redis & {
  kubesmartTake(key: string, rate: string, burst: string): Promise<[number, number, number]>;
};

/**
 * The rate-limit counts of kubesmart services (the cluster hub, kv-proxy): token buckets, `burst` at
 * once and `perSecond` sustained, in memory per replica, or in Redis (one atomic script per request)
 * so the budget holds across replicas. The plugin's RateLimit headers and Retry-After say when the
 * next token comes.
 */
export function createRateLimitStore(options: RateLimitStoreOptions): RateLimitStoreHandle {
  const { perSecond, burst } = options;
  if (!(perSecond > 0) || !(burst >= 1)) {
    throw new RangeError(`rate limit: perSecond (${perSecond}) must be > 0 and burst (${burst}) >= 1`);
  }
  const counted = (allowed: boolean, remaining: number, waitMs: number) => ({
    current: allowed ? burst - remaining : burst + 1,
    ttl: Math.max(1, waitMs),
  });
  if (!options.redisUrl) {
    const buckets = new TokenBuckets(perSecond, burst);
    class MemoryTokenBucketStore {
      incr(key: string, callback: IncrCallback): void {
        const { allowed, remaining, waitMs } = buckets.takeDetailed(key);
        callback(null, counted(allowed, remaining, waitMs));
      }
      child(): unknown {
        return this;
      }
    }
    return { store: MemoryTokenBucketStore, shared: false, close: async () => {} };
  }
  const redis = new Redis(options.redisUrl, {
    connectTimeout: 2000,
    maxRetriesPerRequest: 1,
  }) as RedisWithTake;
  redis.defineCommand('kubesmartTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
  redis.on('error', (error: Error) => options.onError?.(error));
  const prefix = rateLimitNamespace(options.service);
  const rate = String(perSecond / 1000);
  const burstText = String(burst);
  class RedisTokenBucketStore {
    incr(key: string, callback: IncrCallback): void {
      redis.kubesmartTake(`${prefix}${key}`, rate, burstText).then(
        ([allowed, remaining, waitMs]) => callback(null, counted(allowed === 1, remaining, waitMs)),
        (error: Error) => callback(error),
      );
    }
    child(): unknown {
      return this;
    }
  }
  return {
    store: RedisTokenBucketStore,
    shared: true,
    close: async () => {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
