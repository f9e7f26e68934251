import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createMockCluster } from '@kubesmart/mock';
import {
  backendFixture,
  measureThroughput,
  type ThroughputTarget,
  waitFor,
  writeThroughputReport,
} from '@kubesmart/test-utils';
import express from 'express';
import { kubeSmart } from '../src/index.js';

/**
 * Requests/s of a trivial route on bare Express and on Express with the kubeSmart() middleware
 * (against an emulated cluster, discovery and health checks running), in the same run.
 */
const cluster = await createMockCluster();
await cluster.apply(backendFixture({ replicas: 3 }));

async function serve(
  app: express.Express,
  close: () => Promise<void> = async () => {},
): Promise<ThroughputTarget> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await close();
    },
  };
}

async function bare(): Promise<ThroughputTarget> {
  const app = express();
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  return serve(app);
}

const options = { durationSeconds: 2, rounds: 15, connections: 32, warmupSeconds: 2 };
const rows = await measureThroughput(
  [
    { name: 'bare express', start: bare },
    { name: 'bare express (second copy)', baseline: 'bare express', start: bare },
    {
      name: 'express + a no-op middleware',
      baseline: 'bare express',
      async start() {
        const app = express();
        app.use((_req, _res, next) => next());
        app.get('/', (_req, res) => {
          res.json({ ok: true });
        });
        return serve(app);
      },
    },
    {
      name: 'express + kubeSmart()',
      baseline: 'bare express',
      async start() {
        const kube = kubeSmart({ kubeConfig: cluster.kubeConfig, services: { backend: 'backend' } });
        await kube.ready();
        await waitFor('healthy services', () => kube.health().status === 'up');
        const app = express();
        app.use(kube);
        app.get('/', (_req, res) => {
          res.json({ ok: true });
        });
        return serve(app, kube.close);
      },
    },
  ],
  options,
);
await cluster.close();

const { ratio, cpuRatio } = rows[3]! as { ratio: number; cpuRatio: number };
writeThroughputReport(
  new URL('./results.md', import.meta.url).pathname,
  '@kubesmart/express: requests/s with the middleware vs bare Express',
  `Route \`GET /\` answering \`{ ok: true }\`. The middleware case runs against \`@kubesmart/mock\` with one declared service (3 pods, watches and active health checks running). Goal: at least 0.95 of bare. Result: **${ratio.toFixed(3)}** of bare in requests/s, **${cpuRatio.toFixed(3)}** in requests per CPU second (${Math.min(ratio, cpuRatio) >= 0.95 ? 'met' : 'not met'}). Ratios are medians of per-round ratios. The second copy of the bare app is the noise floor of this run: its distance from 1.000 is what the machine alone produces. The no-op middleware is what any Express middleware layer costs.`,
  rows,
  options,
);
