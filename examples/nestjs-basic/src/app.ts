import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { clusterFromEnvOrEmulator, sampleBackend } from '@kubesmart/mock';
import { NestFactory } from '@nestjs/core';
import { appModule } from './app.module.js';

/** Starts the app on `port` (0: any free one) and returns its URL and how to stop it. */
export async function startApp(
  options: { port?: number; embedded?: boolean } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const cluster = await clusterFromEnvOrEmulator({
    embedded: options.embedded ?? false,
    objects: sampleBackend('my-backend'),
  });
  const app = await NestFactory.create(appModule(cluster), { logger: ['error', 'warn'] });
  await app.listen(options.port ?? 0, '127.0.0.1');
  return {
    url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await cluster.close();
    },
  };
}
