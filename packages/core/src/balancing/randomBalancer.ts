import type { EndpointState } from '../health/endpointState.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';

export interface RandomOptions {
  /** @default Math.random */
  random?: Random;
}

/** A uniformly random endpoint. */
export class RandomBalancer implements Balancer {
  readonly name = 'random';
  readonly #random: Random;

  constructor(options?: RandomOptions) {
    this.#random = options?.random ?? Math.random;
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    return n === 0 ? undefined : endpoints[Math.floor(this.#random() * n)];
  }
}
