import type { FastifyInstance } from 'fastify';
import { checkRouteNow } from '../healthCheckNow.js';
import type { GatewayContext } from './gatewayContext.js';

/**
 * The seed's observability and control endpoints, on the mesh's live view:
 * `GET /mesh/status`, `POST /mesh/reset/:service`, `GET /discovery`, `GET /services`,
 * `POST /health-check`, and `GET /healthz` for the gateway's own probes.
 */
export function registerMeshRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const noStore = { 'cache-control': 'no-store' };

  // Polled every second by each open dashboard: no request log lines.
  app.get('/mesh/status', { logLevel: 'warn' }, async (_request, reply) =>
    reply.headers(noStore).send(ctx.status()),
  );

  app.get<{ Params: { service: string } }>('/mesh/status/:service', async (request, reply) => {
    const view = ctx.status().services[request.params.service];
    if (view === undefined) return reply.code(404).send(unknownService(ctx, request.params.service));
    return reply.headers(noStore).send(view);
  });

  app.post<{ Params: { service: string } }>('/mesh/reset/:service', async (request, reply) => {
    const name = request.params.service;
    if (ctx.route(name) === undefined) return reply.code(404).send(unknownService(ctx, name));
    await ctx.reset(name);
    const view = ctx.status().services[name];
    return reply.send({
      reset: name,
      breakers: view?.breakers,
      available: view?.available,
      total: view?.total,
    });
  });

  app.get('/discovery', async (_request, reply) => {
    const services = Object.fromEntries(
      ctx.config.routes.map((route) => {
        const svc = ctx.service(route.name);
        return [
          route.name,
          {
            service: route.service,
            namespace: route.namespace,
            path: route.path,
            endpoints: svc.endpoints().map((e) => ({
              pod: e.endpoint.pod ?? e.endpoint.id,
              url: e.endpoint.url,
              zone: e.endpoint.zone,
              node: e.endpoint.node,
              available: e.available,
            })),
          },
        ];
      }),
    );
    return reply.headers(noStore).send({ services });
  });

  app.get('/services', async (_request, reply) => {
    const status = ctx.status();
    const services = ctx.config.routes.map((route) => {
      const view = status.services[route.name]!;
      return {
        name: route.name,
        service: route.service,
        namespace: route.namespace,
        path: route.path,
        port: route.port ?? null,
        balancer: view.balancer,
        ready: view.ready,
        health: view.health,
        replicas: view.total,
        available: view.available,
        healthCheck: route.healthCheck === false ? null : route.healthCheck.path,
      };
    });
    return reply.headers(noStore).send({ services, count: services.length });
  });

  app.post<{ Querystring: { service?: string } }>('/health-check', async (request, reply) => {
    const only = request.query.service;
    if (only !== undefined && ctx.route(only) === undefined)
      return reply.code(404).send(unknownService(ctx, only));
    const routes = ctx.config.routes.filter((r) => only === undefined || r.name === only);
    const results = await Promise.all(
      routes.map(async (route) => [route.name, await checkRouteNow(route, ctx.service(route.name))] as const),
    );
    return reply
      .headers(noStore)
      .send({ checkedAt: new Date().toISOString(), services: Object.fromEntries(results) });
  });

  app.get('/healthz', async (_request, reply) => {
    const views = Object.values(ctx.status().services);
    const ready = views.every((v) => v.ready);
    return reply.code(ready ? 200 : 503).send({
      status: ready ? 'ok' : 'starting',
      services: views.map((v) => ({ name: v.name, health: v.health })),
    });
  });
}

function unknownService(ctx: GatewayContext, name: string): { error: string; services: string[] } {
  const services = ctx.config.routes.map((r) => r.name);
  return {
    error: `no service named "${name}" in the gateway configuration; known: ${services.join(', ')}`,
    services,
  };
}
