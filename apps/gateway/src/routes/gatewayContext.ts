import type { SmartService } from '@kubesmart/core';
import type { Dispatcher } from 'undici';
import type { GatewayConfig, RouteConfig } from '../config/gatewayConfig.js';
import type { MeshEventLog } from '../meshEvents.js';
import type { MeshStatus } from '../meshStatus.js';
import type { MetricsRecorder } from '../metrics/metricsRecorder.js';

/** What the route handlers need from the gateway. */
export interface GatewayContext {
  readonly config: GatewayConfig;
  readonly metrics: MetricsRecorder;
  readonly events: MeshEventLog;
  /** Keep-alive connection pools to the pods, one per pod address. */
  readonly dispatcher: Dispatcher;
  route(name: string): RouteConfig | undefined;
  service(route: string): SmartService;
  status(): MeshStatus;
  reset(route: string): Promise<void>;
}
