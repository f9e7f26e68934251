import type { EndpointState } from '../endpoints/endpointState.js';
import { assertRange } from '../options.js';
import type { Balancer } from './balancer.js';

export interface ZonePreferenceOptions {
  /** This client's zone (`topology.kubernetes.io/zone` of its node). */
  zone: string;
  /**
   * Fewest candidates in the local zone for it to be preferred.
   * @default 1
   */
  minEndpoints?: number;
  /**
   * Smallest share of all candidates the local zone must hold to be preferred, in percent, so a
   * zone that lost most of its pods is not overloaded by its own clients.
   * @default 25
   */
  minPercent?: number;
}

/**
 * Wraps another balancer and hands it only the local zone's candidates while that zone has enough
 * of them, and every candidate otherwise (spill-over). The subset is computed once per candidate
 * set, so picks stay allocation-free. Endpoints without a zone are never local.
 */
export class ZonePreferenceBalancer implements Balancer {
  readonly name: string;
  readonly #inner: Balancer;
  readonly #zone: string;
  readonly #minEndpoints: number;
  readonly #minPercent: number;
  #set: readonly EndpointState[] | undefined = undefined;
  #size = -1;
  #target: readonly EndpointState[] = [];
  #local = false;

  constructor(inner: Balancer, options: ZonePreferenceOptions) {
    this.#inner = inner;
    this.#zone = options.zone;
    this.#minEndpoints = options.minEndpoints ?? 1;
    this.#minPercent = options.minPercent ?? 25;
    assertRange('ZonePreferenceBalancer', 'minEndpoints', this.#minEndpoints, 0);
    assertRange('ZonePreferenceBalancer', 'minPercent', this.#minPercent, 0, 100);
    this.name = `${inner.name}+zone`;
  }

  /** Whether the last candidate set seen kept traffic in the local zone. */
  get preferringLocal(): boolean {
    return this.#local;
  }

  pick(endpoints: readonly EndpointState[], key?: string): EndpointState | undefined {
    if (endpoints !== this.#set || endpoints.length !== this.#size) this.#split(endpoints);
    return this.#inner.pick(this.#target, key);
  }

  #split(endpoints: readonly EndpointState[]): void {
    const local = endpoints.filter((state) => state.endpoint.zone === this.#zone);
    this.#local =
      local.length > 0 &&
      local.length >= this.#minEndpoints &&
      local.length * 100 >= this.#minPercent * endpoints.length;
    this.#target = this.#local ? Object.freeze(local) : endpoints;
    this.#set = endpoints;
    this.#size = endpoints.length;
  }
}
