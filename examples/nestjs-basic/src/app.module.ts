import type { SmartService } from '@kubesmart/core';
import type { ClusterChoice } from '@kubesmart/mock';
import { InjectService, KubeSmartModule } from '@kubesmart/nestjs';
import { Controller, type DynamicModule, Get, Module } from '@nestjs/common';

@Controller()
export class HealthController {
  constructor(@InjectService('backend') private readonly backend: SmartService) {}

  /** kubeSmartService's /health view: the endpoint in use and the service's metrics. */
  @Get('health')
  health() {
    const endpoint = this.backend.pick().url;
    const { latencyMs, pods, failoverCount, activePod } = this.backend.status();
    return { endpoint, metrics: { latencyMs, pods, failoverCount, activePod } };
  }
}

@Module({})
export class AppModule {}

/** The app's root module, with KubeSmartModule configured for the chosen cluster. */
export function appModule(cluster: ClusterChoice): DynamicModule {
  return {
    module: AppModule,
    imports: [
      KubeSmartModule.forRoot({
        kubeConfig: cluster.kubeConfig,
        services: { backend: 'my-backend' },
        failFast: { timeoutMs: 10_000 },
      }),
    ],
    controllers: [HealthController],
  };
}
