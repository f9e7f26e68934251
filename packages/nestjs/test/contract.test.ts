import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import type { KvBucket, SmartService } from '@kubesmart/core';
import { describeAdapterContract } from '@kubesmart/test-utils';
import { Controller, Get, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { InjectKv, InjectService, KubeSmartHealthIndicator, KubeSmartModule } from '../src/index.js';

@Controller()
class BackendController {
  constructor(
    @InjectService('backend') private readonly backend: SmartService,
    @InjectKv('contract') private readonly kv: KvBucket,
    private readonly health: HealthCheckService,
    private readonly kubeSmart: KubeSmartHealthIndicator,
  ) {}

  @Get('backend')
  async get(): Promise<unknown> {
    const response = await this.backend.fetch('/');
    return response.json();
  }

  @Get('kv/:key')
  async read(@Param('key') key: string): Promise<unknown> {
    return { value: (await this.kv.get(key))?.value ?? null };
  }

  @Get('health')
  @HealthCheck()
  check() {
    return this.health.check([() => this.kubeSmart.isHealthy('kubesmart')]);
  }
}

describeAdapterContract('@kubesmart/nestjs', {
  healthPath: '/health',
  async start(options) {
    const app = await NestFactory.create(
      {
        module: class AppModule {},
        imports: [KubeSmartModule.forRoot(options), TerminusModule.forRoot({ logger: false })],
        controllers: [BackendController],
      },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { baseUrl: `http://127.0.0.1:${port}`, close: () => app.close() };
  },
});
