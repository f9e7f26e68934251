import { describeAdapterContract } from '@kubesmart/test-utils';
import Fastify from 'fastify';
import { kubeSmart } from '../src/index.js';

describeAdapterContract('@kubesmart/fastify', {
  async start(options) {
    const app = Fastify();
    await app.register(kubeSmart, { ...options, routes: true });
    app.get('/backend', async (request, reply) => {
      const response = await request.kube.services.backend!.fetch('/');
      return reply.code(response.status).send(await response.json());
    });
    app.get<{ Params: { key: string } }>('/kv/:key', async (request) => {
      const entry = await request.kube.kv('contract').get(request.params.key);
      return { value: entry?.value ?? null };
    });
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    return { baseUrl: address, close: () => app.close() };
  },
});
