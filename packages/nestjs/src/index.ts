export type { BindingHealth, ServiceHealth, ServiceMap, ServiceSpec } from '@kubesmart/core';
export { KubeSmart } from '@kubesmart/core';
export {
  getKvToken,
  getServiceToken,
  InjectKv,
  InjectService,
} from './kube-smart.decorators.js';
export { KubeSmartModule } from './kube-smart.module.js';
export type { KubeSmartModuleOptions } from './kube-smart.module-definition.js';
export type { KubeSmartHealthResult } from './kube-smart-health.indicator.js';
export { KubeSmartHealthIndicator } from './kube-smart-health.indicator.js';
