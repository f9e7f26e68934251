import type { KubeClient } from './cluster/kubeClient.js';
import type { WatchCacheRegistry } from './cluster/watchCacheRegistry.js';
import type { Clock, Logger, Random } from './types.js';

/**
 * What every engine of one `KubeSmart` instance shares: one client to the API server, one registry of
 * watch caches (so the resolver, the KV engine and the query engine read the same caches), and the
 * injected logger, clock and randomness. Built once by `createKubeSmart`; engines never build their own.
 */
export interface EngineContext {
  readonly client: KubeClient;
  readonly registry: WatchCacheRegistry;
  /** The namespace used when an engine call names none. */
  readonly namespace: string;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: Random;
}
