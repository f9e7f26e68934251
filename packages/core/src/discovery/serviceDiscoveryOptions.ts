import { systemClock } from '../clock.js';
import type { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import type { KubeSmartError } from '../errors.js';
import { noopLogger } from '../logger.js';
import type { Clock, Endpoint, Logger } from '../types.js';

/**
 * Where endpoints come from: EndpointSlices (falling back to Endpoints when slices are absent or
 * forbidden), legacy Endpoints, or pods found by label (kubeSmartService's way).
 */
export type DiscoverySource = 'endpointslices' | 'endpoints' | 'pods';

export interface ServiceDiscoveryOptions {
  /** Shared watch caches (and their API client). */
  registry: WatchCacheRegistry;
  /** Name of the Service. */
  service: string;
  /** @default 'default' */
  namespace?: string;
  /**
   * Service port to use, by name (`'http'`) or number (the Service `port`, or a target port).
   * @default the Service's first port
   */
  port?: string | number;
  /** @default 'endpointslices' */
  source?: DiscoverySource;
  /**
   * Label selector of the pods, for `source: 'pods'`.
   * @default `app=<service>`
   */
  labelSelector?: string;
  /**
   * `'namespace'` shares one Service and one EndpointSlice cache per namespace among all services (one
   * watch each, however many services); `'service'` watches only this Service's objects.
   * @default 'namespace'
   */
  watchScope?: 'namespace' | 'service';
  /** @default a logger that drops everything */
  logger?: Logger;
  /** Timers of `ready()`. @default the system clock */
  clock?: Clock;
}

/** Defaults of the options that have one, merged once in the constructor. */
export const SERVICE_DISCOVERY_DEFAULTS: Readonly<
  Required<Pick<ServiceDiscoveryOptions, 'namespace' | 'source' | 'watchScope' | 'logger' | 'clock'>>
> = Object.freeze({
  namespace: 'default',
  source: 'endpointslices',
  watchScope: 'namespace',
  logger: noopLogger,
  clock: systemClock,
});

/** A snapshot of one Service's discovery. */
export interface ServiceDiscoveryStatus {
  service: string;
  namespace: string;
  source: DiscoverySource;
  /** A first endpoint list is known. */
  ready: boolean;
  /** The endpoints may lag the cluster: not known yet, or the API connection is lost (last known kept). */
  stale: boolean;
  endpoints: number;
  /** How the source is followed: a watch, or polling where watch is forbidden. */
  mode: 'watch' | 'poll' | undefined;
  lastError: KubeSmartError | undefined;
}

export type ServiceDiscoveryEvents = {
  /** The endpoint list changed (sorted by id; sent only on a real change). */
  change: [endpoints: readonly Endpoint[]];
  error: [error: KubeSmartError];
  stale: [stale: boolean];
  /** Discovery switched source (EndpointSlices to Endpoints). */
  source: [source: DiscoverySource];
};
