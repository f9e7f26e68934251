import type { IncomingMessage, ServerResponse } from 'node:http';
import { bindServices, KubeSmart, type ServiceBinding } from '@kubesmart/core';
import {
  type DynamicModule,
  Inject,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  type OnApplicationShutdown,
  type OnModuleInit,
  RequestMethod,
} from '@nestjs/common';
import { injectedProviders } from './kube-smart.decorators.js';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  KUBE_SMART_BINDING,
  KUBE_SMART_OPTIONS,
  type KubeSmartModuleOptions,
  OPTIONS_TYPE,
} from './kube-smart.module-definition.js';
import { KubeSmartHealthIndicator } from './kube-smart-health.indicator.js';

/** Adds the providers of every `@InjectService`/`@InjectKv` token to a module definition. */
function withInjected(module: DynamicModule): DynamicModule {
  const providers = [...injectedProviders.values()];
  return {
    ...module,
    providers: [...(module.providers ?? []), ...providers],
    exports: [...(module.exports ?? []), ...providers.map((p) => p.provide)],
  };
}

/**
 * `KubeSmartModule.forRoot({ services: { backend: 'my-backend' } })`, or `forRootAsync({ imports,
 * useFactory, inject })`; `isGlobal: true` makes it visible everywhere. Provides `KubeSmart`,
 * `KubeSmartHealthIndicator`, and what `@InjectService`/`@InjectKv` ask for. Discovery starts when the
 * module's providers are made; `failFast` waits for it at init; everything closes at shutdown.
 */
@Module({
  providers: [
    {
      provide: KUBE_SMART_BINDING,
      inject: [KUBE_SMART_OPTIONS],
      useFactory: (options: KubeSmartModuleOptions) => bindServices(options),
    },
    { provide: KubeSmart, inject: [KUBE_SMART_BINDING], useFactory: (b: ServiceBinding) => b.kubeSmart },
    KubeSmartHealthIndicator,
  ],
  exports: [KubeSmart, KubeSmartHealthIndicator],
})
export class KubeSmartModule
  extends ConfigurableModuleClass
  implements NestModule, OnModuleInit, OnApplicationShutdown
{
  constructor(@Inject(KUBE_SMART_BINDING) private readonly binding: ServiceBinding) {
    super();
  }

  static override forRoot(options: typeof OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: the generated forRoot must run with this class as `module`
    return withInjected(super.forRoot(options));
  }

  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    // biome-ignore lint/complexity/noThisInStatic: the generated forRootAsync must run with this class as `module`
    return withInjected(super.forRootAsync(options));
  }

  /** With `routes`: `GET <prefix>/status` and `<prefix>/healthz`, on the Express or Fastify platform. */
  configure(consumer: MiddlewareConsumer): void {
    const prefix = this.binding.routesPrefix;
    if (prefix === undefined) return;
    const { context } = this.binding;
    const send = (res: ServerResponse, statusCode: number, body: unknown): void => {
      res.statusCode = statusCode;
      res.setHeader('content-type', 'application/json; charset=utf-8');
      res.end(JSON.stringify(body));
    };
    consumer
      .apply((_req: IncomingMessage, res: ServerResponse) => send(res, 200, { services: context.status() }))
      .forRoutes({ path: `${prefix}/status`, method: RequestMethod.GET });
    consumer
      .apply((_req: IncomingMessage, res: ServerResponse) => {
        const { statusCode, body } = context.healthResponse();
        send(res, statusCode, body);
      })
      .forRoutes({ path: `${prefix}/healthz`, method: RequestMethod.GET });
  }
  async onModuleInit(): Promise<void> {
    await this.binding.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.binding.close();
  }
}
