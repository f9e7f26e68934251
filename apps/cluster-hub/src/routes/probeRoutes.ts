import type { FastifyInstance } from 'fastify';

/** Unauthenticated probes: `/healthz` (the process answers) and `/readyz` (keys loaded, so requests can be served). */
export function probeRoutes(app: FastifyInstance, ready: () => boolean): void {
  const noLimit = { rateLimit: false } as const;
  app.get('/healthz', { config: noLimit }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: noLimit }, async (_request, reply) => {
    if (ready()) return { status: 'ready' };
    return reply
      .code(503)
      .send({ status: 'not ready', message: 'API keys and agent credentials are still loading' });
  });
}
