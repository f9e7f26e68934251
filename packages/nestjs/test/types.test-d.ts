import type { BindingOptions, SmartService } from '@kubesmart/core';
import type { DynamicModule } from '@nestjs/common';
import type { HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import { describe, expectTypeOf, it } from 'vitest';
import {
  KubeSmartHealthIndicator,
  type KubeSmartHealthResult,
  KubeSmartModule,
  type KubeSmartModuleOptions,
} from '../src/index.js';

class ConfigService {
  get(key: string): string {
    return key;
  }
}

describe('KubeSmartModule.forRoot / forRootAsync', () => {
  it('forRoot takes the module options plus isGlobal', () => {
    expectTypeOf(
      KubeSmartModule.forRoot({ services: { backend: 'my-backend' }, isGlobal: true }),
    ).toEqualTypeOf<DynamicModule>();
    // @ts-expect-error `service` is not an option
    KubeSmartModule.forRoot({ service: {} });
  });

  it('forRootAsync infers useFactory from the options type, with imports, inject and isGlobal', () => {
    const module = KubeSmartModule.forRootAsync({
      isGlobal: true,
      imports: [],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        namespace: config.get('NAMESPACE'),
        services: { backend: { name: config.get('BACKEND'), port: 'http' as const } },
      }),
    });
    expectTypeOf(module).toEqualTypeOf<DynamicModule>();
    KubeSmartModule.forRootAsync({ useFactory: async () => ({ offline: true }) });

    type AsyncOptions = Parameters<typeof KubeSmartModule.forRootAsync>[0];
    type Factory = NonNullable<AsyncOptions['useFactory']>;
    expectTypeOf<Awaited<ReturnType<Factory>>>().toEqualTypeOf<KubeSmartModuleOptions>();
    expectTypeOf<AsyncOptions['isGlobal']>().toEqualTypeOf<boolean | undefined>();

    // @ts-expect-error the factory must return module options
    KubeSmartModule.forRootAsync({ useFactory: () => ({ services: { backend: { port: 80 } } }) });
    // @ts-expect-error failFast takes a boolean or { timeoutMs }
    KubeSmartModule.forRootAsync({ useFactory: () => ({ failFast: 'yes' }) });
  });
});

describe('KubeSmartHealthIndicator', () => {
  it('returns a result terminus accepts, keyed by the key given', () => {
    const indicator = {} as KubeSmartHealthIndicator;
    expectTypeOf(indicator.isHealthy('mesh')).resolves.toEqualTypeOf<KubeSmartHealthResult<'mesh'>>();
    expectTypeOf(indicator.isHealthy()).resolves.toHaveProperty('kubesmart');
    expectTypeOf<KubeSmartHealthResult<'mesh'>>().toExtend<HealthIndicatorResult<'mesh'>>();
    expectTypeOf(() => indicator.isHealthy()).toExtend<HealthIndicatorFunction>();
  });
});

describe('@InjectService', () => {
  it('is a parameter and property decorator', async () => {
    const { InjectService } = await import('../src/index.js');
    expectTypeOf(InjectService('backend')).toExtend<ParameterDecorator & PropertyDecorator>();
    expectTypeOf<SmartService['fetch']>().toBeFunction();
  });
});

describe('one options shape for every adapter', () => {
  it("takes core's BindingOptions, failFast and routes included", () => {
    expectTypeOf<KubeSmartModuleOptions>().toEqualTypeOf<BindingOptions>();
  });
});
