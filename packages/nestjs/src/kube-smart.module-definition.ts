import type { BindingOptions, ServiceMap } from '@kubesmart/core';
import { ConfigurableModuleBuilder } from '@nestjs/common';

/** Options of `KubeSmartModule.forRoot()` (and what `forRootAsync`'s `useFactory` returns). */
export interface KubeSmartModuleOptions<S extends ServiceMap = ServiceMap> extends BindingOptions<S> {
  /**
   * Wait at module init until every declared service has its first endpoints, so the app does not
   * boot when the cluster cannot be reached. Otherwise it boots and the health indicator reports
   * down until discovery answers.
   * @default false
   */
  failFast?: boolean | { timeoutMs: number };
}

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
