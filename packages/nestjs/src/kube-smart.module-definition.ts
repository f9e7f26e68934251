import type { BindingOptions, ServiceMap } from '@kubesmart/core';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/**
 * Options of `KubeSmartModule.forRoot()` (and what `forRootAsync`'s `useFactory` returns), the same
 * as every adapter's: `failFast` waits at module init, so the app does not boot when the cluster
 * cannot be reached; `routes` serves `GET <prefix>/status` and `<prefix>/healthz`.
 */
export interface KubeSmartModuleOptions<S extends ServiceMap = ServiceMap> extends BindingOptions<S> {}

export const {
  ConfigurableModuleClass,
  MODULE_OPTIONS_TOKEN: KUBE_SMART_OPTIONS,
  OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<KubeSmartModuleOptions>({ moduleName: 'KubeSmart' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/** Token of the module's service binding (the instance and the declared services). */
export const KUBE_SMART_BINDING = Symbol('KubeSmartBinding');
