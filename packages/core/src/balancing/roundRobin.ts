import type { EndpointState } from '../endpoints/endpointState.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';

export interface RoundRobinOptions {
  /**
   * Picks the starting position, so many clients do not all start on the first endpoint.
   * @default Math.random
   */
  random?: Random;
}

/** Each endpoint in turn. */
export class RoundRobinBalancer implements Balancer {
  readonly name = 'round-robin';
  #next: number;

  constructor(options?: RoundRobinOptions) {
    this.#next = Math.floor((options?.random ?? Math.random)() * 0x7fffffff);
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    if (n === 0) return undefined;
    let i = this.#next;
    if (i >= n) i %= n;
    this.#next = i + 1;
    return endpoints[i];
  }
}
