import type { FastifyInstance } from 'fastify';

/** Browsers must take every answer as the type it says it is (no MIME sniffing). */
export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * Sets `X-Content-Type-Options: nosniff` and `X-Request-Id` on every answer, error pages, docs and SSE
 * streams (which write their own headers) included: on the raw response, before anything else runs.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.setHeader('X-Content-Type-Options', 'nosniff');
    reply.raw.setHeader('X-Request-Id', request.id);
  });
}
