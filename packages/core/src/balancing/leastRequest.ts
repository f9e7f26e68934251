import type { EndpointState } from '../health/endpointState.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';
import { pickOfTwo } from './twoChoices.js';

export interface LeastRequestOptions {
  /** @default Math.random */
  random?: Random;
}

const fewerInFlight = (a: EndpointState, b: EndpointState): boolean => b.inflight < a.inflight;

/**
 * Least request by power of two choices (as Envoy's `LEAST_REQUEST`): of two random endpoints, the
 * one with fewer requests in flight. Near-optimal spread without scanning every endpoint, and no
 * herding onto the single least-loaded pod when many clients decide at once.
 */
export class LeastRequestBalancer implements Balancer {
  readonly name = 'least-request';
  readonly #random: Random;

  constructor(options?: LeastRequestOptions) {
    this.#random = options?.random ?? Math.random;
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    if (n < 2) return endpoints[0];
    return pickOfTwo(endpoints, this.#random, fewerInFlight);
  }
}
