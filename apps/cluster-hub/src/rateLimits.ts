import rateLimit from '@fastify/rate-limit';
import { createRateLimitStore, rateLimitKey } from '@kubesmart/access';
import type { FastifyInstance } from 'fastify';
import { HubError } from './hubErrors.js';

export interface RateLimitSettings {
  perMinute: number;
  /** A Redis URL: one budget per key across every replica. Without it each replica counts alone. */
  redisUrl: string | undefined;
}

/**
 * `@fastify/rate-limit` per API key (the address before authentication), after the key is checked,
 * with RateLimit-* headers and Retry-After. The counts are @kubesmart/access's token buckets: the
 * minute's budget at once, refilled evenly over the minute; in Redis when `redisUrl` is set. When Redis
 * cannot be reached requests are served (and the error logged) rather than refused.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  settings: RateLimitSettings,
): Promise<() => Promise<void>> {
  const counts = createRateLimitStore({
    perSecond: settings.perMinute / 60,
    burst: settings.perMinute,
    redisUrl: settings.redisUrl,
    service: 'cluster-hub',
    onError: (error) => app.log.warn({ err: error }, 'rate-limit Redis error'),
  });
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: settings.perMinute,
    timeWindow: 60_000,
    enableDraftSpec: true,
    skipOnError: true,
    store: counts.store as never,
    keyGenerator: (request) =>
      rateLimitKey({
        principal: request.principal ? `key:${request.principal.id}` : undefined,
        ip: request.ip,
      }),
    errorResponseBuilder: (request, context) =>
      new HubError(
        429,
        'RATE_LIMITED',
        `${request.principal ? `API key ${request.principal.id}` : `Address ${request.ip}`} made more than ${context.max} requests per minute; retry in ${context.after}.`,
      ),
  });
  return () => counts.close();
}
