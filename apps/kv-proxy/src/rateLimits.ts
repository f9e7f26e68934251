import rateLimit from '@fastify/rate-limit';
import { createRateLimitStore, rateLimitKey } from '@kubesmart/access';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './httpErrors.js';

export interface RateLimitSettings {
  perSecond: number;
  burst: number;
  /** A Redis URL: one budget per caller across every replica. Without it each replica counts alone. */
  redisUrl: string | undefined;
}

/**
 * `@fastify/rate-limit` per caller (after authentication), counted in @kubesmart/access's token
 * buckets: `burst` at once, `perSecond` sustained; in Redis when `redisUrl` is set. Open routes
 * (health, metrics, docs) are not limited. Returns what closes the Redis connection.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings,
): Promise<() => Promise<void>> {
  const counts = createRateLimitStore({
    perSecond: settings.perSecond,
    burst: settings.burst,
    redisUrl: settings.redisUrl,
    service: 'kv-proxy',
    onError: (error) => app.log.warn({ err: error }, 'rate-limit Redis error'),
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: settings.burst,
    timeWindow: 1000,
    skipOnError: true,
    store: counts.store as never,
    allowList: (request) => !request.routeOptions.config.access,
    keyGenerator: (request) => rateLimitKey({ principal: request.caller, ip: request.ip }),
    errorResponseBuilder: (request, context) =>
      new HttpError(
        429,
        'RATE_LIMITED',
        `Too many requests from ${request.caller ?? request.ip}; retry in ${context.after}.`,
      ),
  });
  return () => counts.close();
}
