import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/**
 * OpenAPI 3 from the routes' schemas, served as JSON at `/docs/json` and as Swagger UI at `/docs`.
 * Register before the routes: the document is collected as routes are added.
 */
export async function registerDocs(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'kubesmart kv-proxy',
        description:
          'Key/value buckets in Kubernetes ConfigMaps, served by @kubesmart/core. The /kv/{namespace}/{configmap} ' +
          'routes are the k8skv seed API; per-key routes carry ETag/If-Match; /watch streams changes as Server-Sent Events.',
        version: '0.0.0',
      },
      tags: [
        { name: 'seed', description: 'The k8skv seed API, compatible' },
        { name: 'keys', description: 'One key per URL, with compare-and-set' },
        { name: 'ops', description: 'Health' },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'API key (AUTH_MODE=apikey) or ServiceAccount token (tokenreview)',
          },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
