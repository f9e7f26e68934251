import type { EndpointState } from '../endpoints/endpointState.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';
import { pickOfTwo } from './twoChoices.js';
import { Xorshift32 } from './xorshift.js';

export interface LeastRequestOptions {
  /**
   * Starts the balancer's integer generator (see `Xorshift32`), for repeatable picks.
   * @default Math.random
   */
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
  readonly #rng: Xorshift32;

  constructor(options?: LeastRequestOptions) {
    this.#rng = new Xorshift32(options?.random ?? Math.random);
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    if (n < 2) return endpoints[0];
    return pickOfTwo(endpoints, this.#rng, fewerInFlight);
  }
}
