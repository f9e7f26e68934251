import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createMockCluster } from '@kubesmart/mock';
import {
  backendFixture,
  measureThroughput,
  type ThroughputTarget,
  writeThroughputReport,
} from '@kubesmart/test-utils';
import { Controller, type DynamicModule, Get } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { it } from 'vitest';
import { KubeSmartModule } from '../src/index.js';

/**
 * Requests/s of a trivial route on a bare Nest app and on one importing KubeSmartModule (against an
 * emulated cluster, discovery and health checks running), in the same run. Nest needs decorator
 * metadata, which tsx does not emit, so this runs in vitest's runner (`pnpm bench`), not as a test.
 */
@Controller()
class TrivialController {
  @Get()
  get() {
    return { ok: true };
  }
}

async function serve(root: DynamicModule): Promise<ThroughputTarget> {
  const app = await NestFactory.create(root, { logger: false });
  await app.listen(0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/`,
    async close() {
      app.getHttpServer().closeAllConnections();
      await app.close();
    },
  };
}

it('measures requests/s with and without KubeSmartModule', { timeout: 600_000 }, async () => {
  const cluster = await createMockCluster();
  await cluster.apply(backendFixture({ replicas: 3 }));
  const options = { durationSeconds: 2, rounds: 15, connections: 32, warmupSeconds: 2 };
  const rows = await measureThroughput(
    [
      {
        name: 'bare nest (express)',
        start: () => serve({ module: class BareModule {}, controllers: [TrivialController] }),
      },
      {
        name: 'bare nest (second copy)',
        baseline: 'bare nest (express)',
        start: () => serve({ module: class BareCopyModule {}, controllers: [TrivialController] }),
      },
      {
        name: 'nest + KubeSmartModule',
        baseline: 'bare nest (express)',
        async start() {
          return serve({
            module: class MeshModule {},
            imports: [
              KubeSmartModule.forRoot({
                kubeConfig: cluster.kubeConfig,
                services: { backend: 'backend' },
                failFast: true,
                isGlobal: true,
              }),
            ],
            controllers: [TrivialController],
          });
        },
      },
    ],
    options,
  );
  await cluster.close();

  const { ratio, cpuRatio } = rows[2]! as { ratio: number; cpuRatio: number };
  writeThroughputReport(
    new URL('./results.md', import.meta.url).pathname,
    '@kubesmart/nestjs: requests/s with KubeSmartModule vs a bare Nest app',
    `Route \`GET /\` answering \`{ ok: true }\` on @nestjs/platform-express. The module case runs against \`@kubesmart/mock\` with one declared service (3 pods, watches and active health checks running). Goal: at least 0.95 of bare. Result: **${ratio.toFixed(3)}** of bare in requests/s, **${cpuRatio.toFixed(3)}** in requests per CPU second (${Math.min(ratio, cpuRatio) >= 0.95 ? 'met' : 'not met'}). Ratios are medians of per-round ratios. The second copy of the bare app is the noise floor of this run: its distance from 1.000 is what the machine alone produces.`,
    rows,
    options,
  );
});
