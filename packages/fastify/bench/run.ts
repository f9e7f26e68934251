import { createMockCluster } from '@kubesmart/mock';
import {
  backendFixture,
  measureThroughput,
  type ThroughputTarget,
  waitFor,
  writeThroughputReport,
} from '@kubesmart/test-utils';
import Fastify, { type FastifyInstance } from 'fastify';
import { kubeSmart } from '../src/index.js';

/**
 * Requests/s of a trivial route on bare Fastify and on Fastify with the plugin registered (against an
 * emulated cluster, discovery and health checks running), in the same run.
 */
const cluster = await createMockCluster();
await cluster.apply(backendFixture({ replicas: 3 }));

async function serve(app: FastifyInstance): Promise<ThroughputTarget> {
  app.get('/', async () => ({ ok: true }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: `${url}/`, close: () => app.close() };
}

const options = { durationSeconds: 2, rounds: 15, connections: 32, warmupSeconds: 2 };
const rows = await measureThroughput(
  [
    { name: 'bare fastify', start: () => serve(Fastify()) },
    { name: 'bare fastify (second copy)', baseline: 'bare fastify', start: () => serve(Fastify()) },
    {
      name: 'fastify + kubeSmart plugin',
      baseline: 'bare fastify',
      async start() {
        const app = Fastify();
        await app.register(kubeSmart, {
          kubeConfig: cluster.kubeConfig,
          services: { backend: 'backend' },
          failFast: true,
        });
        await waitFor('healthy services', () => app.kube.health().status === 'up');
        return serve(app);
      },
    },
  ],
  options,
);
await cluster.close();

const { ratio, cpuRatio } = rows[2]! as { ratio: number; cpuRatio: number };
writeThroughputReport(
  new URL('./results.md', import.meta.url).pathname,
  '@kubesmart/fastify: requests/s with the plugin vs bare Fastify',
  `Route \`GET /\` answering \`{ ok: true }\`. The plugin case runs against \`@kubesmart/mock\` with one declared service (3 pods, watches and active health checks running). Goal: at least 0.95 of bare. Result: **${ratio.toFixed(3)}** of bare in requests/s, **${cpuRatio.toFixed(3)}** in requests per CPU second (${Math.min(ratio, cpuRatio) >= 0.95 ? 'met' : 'not met'}). Ratios are medians of per-round ratios. The second copy of the bare app is the noise floor of this run: its distance from 1.000 is what the machine alone produces.`,
  rows,
  options,
);
