import { systemClock } from '../clock.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { Clock, Random } from '../types.js';
import type { Balancer } from './balancer.js';
import { pickOfTwo } from './twoChoices.js';
import { Xorshift32 } from './xorshift.js';

export interface PeakEwmaOptions {
  /**
   * Starts the balancer's integer generator (see `Xorshift32`), for repeatable picks.
   * @default Math.random
   */
  random?: Random;
  /** Time source for the latency decay. @default systemClock */
  clock?: Clock;
}

/** Keeps the cost of idle, decayed endpoints above zero so in-flight counts still order them. */
const LATENCY_FLOOR_MS = 0.01;

/**
 * Peak-EWMA (Finagle's `p2cPeakEwma`, Linkerd's default): of two random endpoints, the one with the
 * lower cost = latency estimate x (in-flight + 1). The estimate (see
 * `EndpointState.latencyEstimate`) jumps up with a slow response at once and decays with time, so a
 * slow pod sheds load quickly and is tried again once idle.
 *
 * Each pick reads the clock once, which the time decay needs; V8 boxes the double a real clock
 * returns, so this is the one balancer whose pick allocates (16 bytes). It creates no arrays or
 * closures.
 */
export class PeakEwmaBalancer implements Balancer {
  readonly name = 'peak-ewma';
  readonly #rng: Xorshift32;
  readonly #clock: Clock;
  #now = 0;
  readonly #cheaper = (a: EndpointState, b: EndpointState): boolean => this.#cost(b) < this.#cost(a);

  constructor(options?: PeakEwmaOptions) {
    this.#rng = new Xorshift32(options?.random ?? Math.random);
    this.#clock = options?.clock ?? systemClock;
  }

  pick(endpoints: readonly EndpointState[]): EndpointState | undefined {
    const n = endpoints.length;
    if (n < 2) return endpoints[0];
    this.#now = this.#clock.now();
    return pickOfTwo(endpoints, this.#rng, this.#cheaper);
  }

  #cost(state: EndpointState): number {
    return (state.latencyEstimate(this.#now) + LATENCY_FLOOR_MS) * (state.inflight + 1);
  }
}
