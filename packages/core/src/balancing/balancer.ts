import type { EndpointState } from '../endpoints/endpointState.js';

/** Names of the built-in balancers. */
export type BalancerName = 'round-robin' | 'random' | 'least-request' | 'peak-ewma' | 'consistent-hash';

/**
 * Chooses one endpoint per request. Stats (in-flight count, latency) are read from the
 * {@link EndpointState}s, which whoever runs the request keeps up to date, so balancers need no hooks.
 *
 * `pick()` runs on every request and must not allocate: derived data (rings, zone subsets) is
 * computed when the `endpoints` array changes. Callers treat that array as an immutable snapshot
 * and pass a new array when membership changes (as `EndpointSet.candidates` does); balancers may
 * cache by its identity.
 */
export interface Balancer {
  /** Name for status and logs, e.g. `'round-robin'`. */
  readonly name: string;
  /**
   * Picks one of `endpoints`, which are all candidates (health filtering is done before), or
   * `undefined` when it is empty. `key` is used by key-aware balancers and ignored by others.
   */
  pick(endpoints: readonly EndpointState[], key?: string): EndpointState | undefined;
}
