import type { EndpointState } from '../endpoints/endpointState.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';
import { Xorshift32 } from './xorshift.js';

export interface RandomOptions {
  /**
   * Starts the balancer's integer generator (see `Xorshift32`), for repeatable picks.
   * @default Math.random
   */
  random?: Random;
}

/** A uniformly random endpoint. */
export class RandomBalancer implements Balancer {
  readonly name = 'random';
  readonly #rng: Xorshift32;

  constructor(options?: RandomOptions) {
    this.#rng = new Xorshift32(options?.random ?? Math.random);
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    return n === 0 ? undefined : endpoints[this.#rng.below(n)];
  }
}
