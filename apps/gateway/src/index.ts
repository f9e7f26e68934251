import { fileURLToPath } from 'node:url';

export type { GatewayConfig, RouteConfig } from './config/gatewayConfig.js';
export { GatewayConfigError, loadGatewayConfig } from './config/loadGatewayConfig.js';
export type { Gateway, GatewayOptions } from './gateway.js';
export { createGateway } from './gateway.js';
export type { MeshEvent } from './meshEvents.js';
export type { MeshStatus, ScenarioNote, ServiceView } from './meshStatus.js';

/** The gateway's own configuration file, `apps/gateway/config/gateway.yaml`. */
export const DEFAULT_GATEWAY_CONFIG = fileURLToPath(new URL('../config/gateway.yaml', import.meta.url));

/** The sample shop's manifests for a real cluster, `apps/gateway/deploy/shop.yaml`. */
export const SHOP_MANIFESTS = fileURLToPath(new URL('../deploy/shop.yaml', import.meta.url));
