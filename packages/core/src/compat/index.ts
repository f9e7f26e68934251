/**
 * `@kubesmart/core/compat`: `initResolver()` / `kubeService()`, the API of the kubeSmartService seed,
 * on a KubeSmart underneath.
 */
export { closeResolver, initResolver } from './initResolver.js';
export type { KubeServiceOptions } from './kubeService.js';
export { kubeService } from './kubeService.js';
export type { InitResolverOptions, ResolverEnv, ServiceOverrides } from './resolverOptions.js';
export type { SeedStatus } from './smartServiceHandle.js';
export { SmartServiceHandle } from './smartServiceHandle.js';
