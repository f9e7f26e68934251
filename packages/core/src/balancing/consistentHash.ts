import type { EndpointState } from '../endpoints/endpointState.js';
import { assertRange } from '../options.js';
import type { Random } from '../types.js';
import type { Balancer } from './balancer.js';
import { hashString } from './hashString.js';

export interface ConsistentHashOptions {
  /**
   * Points per endpoint on the ring. More points spread keys more evenly (about 10% deviation at
   * 100) at the cost of a larger ring to build when endpoints change.
   * @default 100
   */
  virtualNodes?: number;
  /**
   * Starting position of the round-robin used for picks without a key.
   * @default Math.random
   */
  random?: Random;
}

/**
 * Consistent hashing on a key (session, user, tenant...) with a hash ring of virtual nodes, as
 * Envoy's `RING_HASH` and ketama.
 *
 * Why a ring rather than jump hash or Maglev: pods come and go in any order, and a ring moves only
 * the keys of the endpoint that left (or the share an added one takes), whatever its position; jump
 * hash only handles removing the last bucket cheaply. Maglev looks up in O(1) but needs a large
 * table (65,537 entries) rebuilt on every change and moves a few extra keys. A ring of n x 100
 * points is built in well under a millisecond for usual services and looked up by binary search,
 * within the pick budget. Ring points derive from endpoint ids only, so every client maps a key to
 * the same endpoint regardless of discovery order.
 *
 * Picks without a key go round-robin.
 */
export class ConsistentHashBalancer implements Balancer {
  readonly name = 'consistent-hash';
  readonly #virtualNodes: number;
  #set: readonly EndpointState[] | undefined = undefined;
  #size = -1;
  #points: Uint32Array = new Uint32Array(0);
  #owners: EndpointState[] = [];
  #next: number;

  constructor(options?: ConsistentHashOptions) {
    this.#virtualNodes = options?.virtualNodes ?? 100;
    assertRange('ConsistentHashBalancer', 'virtualNodes', this.#virtualNodes, 1, 10_000);
    this.#next = Math.floor((options?.random ?? Math.random)() * 0x7fffffff);
  }

  pick(endpoints: readonly EndpointState[], key?: string): EndpointState | undefined {
    const n = endpoints.length;
    if (n === 0) return undefined;
    if (key === undefined) {
      let i = this.#next;
      if (i >= n) i %= n;
      this.#next = i + 1;
      return endpoints[i];
    }
    if (endpoints !== this.#set || n !== this.#size) this.#build(endpoints);
    const points = this.#points;
    const h = hashString(key);
    let lo = 0;
    let hi = points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (points[mid]! < h) lo = mid + 1;
      else hi = mid;
    }
    return this.#owners[lo === points.length ? 0 : lo];
  }

  #build(endpoints: readonly EndpointState[]): void {
    const v = this.#virtualNodes;
    const total = endpoints.length * v;
    const hashes = new Uint32Array(total);
    const order = new Array<number>(total);
    for (let e = 0; e < endpoints.length; e++) {
      const id = endpoints[e]!.id;
      for (let r = 0; r < v; r++) {
        hashes[e * v + r] = hashString(id, r + 1);
        order[e * v + r] = e * v + r;
      }
    }
    const ownerId = (point: number): string => endpoints[Math.floor(point / v)]!.id;
    order.sort((a, b) => hashes[a]! - hashes[b]! || (ownerId(a) < ownerId(b) ? -1 : 1));
    const points = new Uint32Array(total);
    const owners = new Array<EndpointState>(total);
    for (let k = 0; k < total; k++) {
      const point = order[k]!;
      points[k] = hashes[point]!;
      owners[k] = endpoints[Math.floor(point / v)]!;
    }
    this.#points = points;
    this.#owners = owners;
    this.#set = endpoints;
    this.#size = endpoints.length;
  }
}
