import type { EndpointState } from '../endpoints/endpointState.js';
import type { Balancer } from './balancer.js';

/**
 * Picks the endpoint for one attempt of a request. `exclude` holds endpoints this request must
 * avoid (already tried, or refused by their circuit breaker); a picker never returns one of them.
 */
export interface EndpointPicker {
  pick(key?: string, exclude?: ReadonlySet<EndpointState>): EndpointState | undefined;
}

/** Anything that holds the current candidates, such as an `EndpointSet`. */
export interface CandidateSource {
  readonly candidates: readonly EndpointState[];
}

/**
 * The standard picker: asks the balancer among the source's candidates; when the balancer's choice
 * is excluded, takes the next candidate not excluded, scanning from a rotating position so retries
 * spread. Without exclusions it is exactly one `balancer.pick()`.
 */
export function createPicker(source: CandidateSource, balancer: Balancer): EndpointPicker {
  let scan = 0;
  return {
    pick(key, exclude) {
      const candidates = source.candidates;
      const picked = balancer.pick(candidates, key);
      if (picked === undefined || exclude === undefined || exclude.size === 0 || !exclude.has(picked)) {
        return picked;
      }
      const n = candidates.length;
      const start = scan++ % n;
      for (let i = 0; i < n; i++) {
        const state = candidates[(start + i) % n]!;
        if (!exclude.has(state)) return state;
      }
      return undefined;
    },
  };
}
