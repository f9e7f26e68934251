import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RouteConfig } from '../config/gatewayConfig.js';
import { hashKeyOf } from '../meshOptions.js';
import { forwardRequest } from '../proxy/forwardRequest.js';
import type { GatewayContext } from './gatewayContext.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

function targetPath(route: RouteConfig, url: string): string {
  if (!route.stripPrefix) return url;
  const rest = url.slice(route.path.length);
  return rest === '' || rest.startsWith('?') ? `/${rest}` : rest;
}

/**
 * One Fastify route per configured prefix (`/catalog` and `/catalog/*`, every method): the request
 * goes to the route's Service through the mesh, and comes back with `X-Replica-ID` (the pod that
 * answered) and `X-Response-Time` (time spent in the gateway, retries included).
 */
export function registerProxyRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  // Bodies are forwarded as they came, whatever their type.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  for (const route of ctx.config.routes) {
    const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      const start = performance.now();
      const result = await forwardRequest(
        ctx.service(route.name),
        {
          method: request.method,
          path: targetPath(route, request.url),
          headers: request.headers,
          body: Buffer.isBuffer(request.body) ? request.body : undefined,
          clientIp: request.ip,
          key:
            route.hashOn === undefined
              ? undefined
              : hashKeyOf(
                  route.hashOn,
                  route.path,
                  new URL(request.url, 'http://gateway.local'),
                  request.headers,
                ),
        },
        ctx.dispatcher,
      );
      const latencyMs = performance.now() - start;
      ctx.metrics.record({
        route: route.name,
        pod: result.pod,
        status: result.status,
        latencyMs,
        attempts: result.attempts,
        failed: result.failed,
      });
      reply.code(result.status).headers(result.headers);
      reply.header('x-replica-id', result.pod ?? 'none');
      reply.header('x-response-time', `${latencyMs.toFixed(2)}ms`);
      reply.header('x-mesh-attempts', String(result.attempts));
      reply.header('x-mesh-service', route.name);
      await reply.send(result.body);
    };
    // Per-request logs would drown everything else: the dashboard and /mesh/status show the traffic.
    app.route({ method: [...METHODS], url: route.path, handler, logLevel: 'warn' });
    app.route({ method: [...METHODS], url: `${route.path}/*`, handler, logLevel: 'warn' });
  }
}
