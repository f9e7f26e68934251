import { assertRange, withDefaults } from '../options.js';
import type { Endpoint } from '../types.js';
import { EndpointState, type EndpointStateOptions } from './endpointState.js';

export interface EndpointSetOptions extends EndpointStateOptions {
  /**
   * Panic threshold, in percent (Envoy's `healthy_panic_threshold`): when fewer than this share of
   * the endpoints are available, health is assumed to be wrong and every endpoint becomes a
   * candidate again. `0` turns panic mode off.
   * @default 50
   */
  panicThresholdPercent?: number;
}

const DEFAULTS: Readonly<Required<EndpointSetOptions>> = Object.freeze({
  panicThresholdPercent: 50,
  latencyDecayMs: 10_000,
  initialLatencyMs: 10,
});

/** What an {@link EndpointSet.update} changed. */
export interface EndpointSetChange {
  readonly added: readonly EndpointState[];
  readonly removed: readonly EndpointState[];
}

/**
 * The endpoints of one service with their live state, and the candidates a balancer picks from:
 * the available ones, or all of them in panic mode. The candidates array is rebuilt only when
 * membership or availability changes, and keeps its identity otherwise, so balancers can cache
 * derived data (hash rings, zone subsets) by array identity.
 */
export class EndpointSet {
  readonly #options: Readonly<Required<EndpointSetOptions>>;
  readonly #byId = new Map<string, EndpointState>();
  #all: readonly EndpointState[] = [];
  #candidates: readonly EndpointState[] = [];
  #panic = false;
  #dirty = false;
  readonly #markDirty = (): void => {
    this.#dirty = true;
  };

  constructor(options?: EndpointSetOptions) {
    this.#options = Object.freeze(withDefaults(DEFAULTS, options));
    assertRange('EndpointSet', 'panicThresholdPercent', this.#options.panicThresholdPercent, 0, 100);
    assertRange('EndpointSet', 'latencyDecayMs', this.#options.latencyDecayMs, 1);
    assertRange('EndpointSet', 'initialLatencyMs', this.#options.initialLatencyMs, 0);
  }

  /** Every endpoint, in discovery order. */
  get all(): readonly EndpointState[] {
    return this.#all;
  }

  get size(): number {
    return this.#all.length;
  }

  /** The endpoints to pick from now. Cheap to read on every pick. */
  get candidates(): readonly EndpointState[] {
    if (this.#dirty) this.#recompute();
    return this.#candidates;
  }

  /** Whether too few endpoints are available, so every endpoint is a candidate. */
  get panic(): boolean {
    if (this.#dirty) this.#recompute();
    return this.#panic;
  }

  get(id: string): EndpointState | undefined {
    return this.#byId.get(id);
  }

  /**
   * Replaces the membership with `endpoints` (duplicates by id are ignored). An endpoint keeps its
   * state while its id and pod stay the same; a new pod on a reused IP starts afresh.
   */
  update(endpoints: readonly Endpoint[]): EndpointSetChange {
    const next: EndpointState[] = [];
    const seen = new Set<string>();
    const added: EndpointState[] = [];
    for (const endpoint of endpoints) {
      if (seen.has(endpoint.id)) continue;
      seen.add(endpoint.id);
      let state = this.#byId.get(endpoint.id);
      if (state !== undefined && state.endpoint.pod !== endpoint.pod) state = undefined;
      if (state === undefined) {
        state = new EndpointState(endpoint, this.#options, this.#markDirty);
        added.push(state);
      } else if (state.endpoint !== endpoint) {
        state.updateEndpoint(endpoint);
      }
      next.push(state);
    }
    const kept = new Set(next);
    const removed = this.#all.filter((state) => !kept.has(state));
    this.#byId.clear();
    for (const state of next) this.#byId.set(state.id, state);
    this.#all = Object.freeze(next);
    this.#dirty = true;
    return { added, removed };
  }

  #recompute(): void {
    this.#dirty = false;
    const all = this.#all;
    const available = all.filter((state) => state.available);
    const threshold = this.#options.panicThresholdPercent;
    this.#panic = all.length > 0 && available.length * 100 < threshold * all.length;
    const next = this.#panic ? all : available;
    if (!sameMembers(next, this.#candidates)) this.#candidates = Object.freeze(next.slice());
  }
}

function sameMembers(a: readonly EndpointState[], b: readonly EndpointState[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
