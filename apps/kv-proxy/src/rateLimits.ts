import rateLimit from '@fastify/rate-limit';
import { rateLimitKey, tokenBucketStore } from '@kubesmart/access';
import type { FastifyInstance } from 'fastify';
import { HttpError } from './httpErrors.js';

/**
 * `@fastify/rate-limit` per caller (after authentication), counted in token buckets: `burst` at once,
 * `perSecond` sustained. Open routes (health, metrics, docs) are not limited.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  perSecond: number,
  burst: number,
): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    hook: 'preHandler',
    max: burst,
    timeWindow: 1000,
    store: tokenBucketStore(perSecond, burst) as never,
    allowList: (request) => !request.routeOptions.config.access,
    keyGenerator: (request) => rateLimitKey({ principal: request.caller, ip: request.ip }),
    errorResponseBuilder: (request, context) =>
      new HttpError(
        429,
        'RATE_LIMITED',
        `Too many requests from ${request.caller ?? request.ip}; retry in ${context.after}.`,
      ),
  });
}
