import type { EndpointState } from '../endpoints/endpointState.js';
import type { Xorshift32 } from './xorshift.js';

/**
 * Power of two choices: draws two distinct endpoints at random and returns the second when
 * `secondIsBetter`, else the first. Callers handle fewer than two endpoints. Allocation-free.
 */
export function pickOfTwo(
  endpoints: readonly EndpointState[],
  rng: Xorshift32,
  secondIsBetter: (a: EndpointState, b: EndpointState) => boolean,
): EndpointState {
  const n = endpoints.length;
  const i = rng.below(n);
  let j = rng.below(n - 1);
  if (j >= i) j++;
  const a = endpoints[i]!;
  const b = endpoints[j]!;
  return secondIsBetter(a, b) ? b : a;
}
