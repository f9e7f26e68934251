import type { EndpointState } from '../health/endpointState.js';
import type { Random } from '../types.js';

/**
 * Power of two choices: draws two distinct endpoints at random and returns the one `better` prefers
 * (the first on a tie). Callers handle `n < 2`. Allocation-free.
 */
export function pickOfTwo(
  endpoints: readonly EndpointState[],
  random: Random,
  secondIsBetter: (a: EndpointState, b: EndpointState) => boolean,
): EndpointState {
  const n = endpoints.length;
  const i = Math.floor(random() * n);
  let j = Math.floor(random() * (n - 1));
  if (j >= i) j++;
  const a = endpoints[i]!;
  const b = endpoints[j]!;
  return secondIsBetter(a, b) ? b : a;
}
