import { createEndpoint } from '../src/createEndpoint.js';
import { EndpointState } from '../src/endpoints/endpointState.js';
import type { Endpoint } from '../src/types.js';

/** Endpoints 10.0.0.1:8080, 10.0.0.2:8080, ... with pod names, optionally in zones. */
export function endpoints(count: number, zone?: (i: number) => string): Endpoint[] {
  return Array.from({ length: count }, (_, i) =>
    createEndpoint({
      host: `10.0.0.${i + 1}`,
      port: 8080,
      pod: `pod-${i + 1}`,
      ...(zone ? { zone: zone(i) } : {}),
    }),
  );
}

/** Standalone endpoint states for balancer tests. */
export function states(count: number, zone?: (i: number) => string): EndpointState[] {
  return endpoints(count, zone).map((endpoint) => new EndpointState(endpoint));
}

/** How many times each endpoint id was picked over `picks` picks. */
export function tally(pick: () => EndpointState | undefined, picks: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const id = pick()?.id ?? 'none';
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
