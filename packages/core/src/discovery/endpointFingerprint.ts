import type { Endpoint } from '../types.js';

/** Sorts endpoints by id and drops duplicates (an address in two slices). */
export function normalizeEndpoints(endpoints: readonly Endpoint[]): readonly Endpoint[] {
  const byId = new Map<string, Endpoint>();
  for (const endpoint of endpoints) if (!byId.has(endpoint.id)) byId.set(endpoint.id, endpoint);
  return Object.freeze([...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
}

/** A string equal for two lists exactly when they hold the same endpoints with the same facts. */
export function endpointFingerprint(endpoints: readonly Endpoint[]): string {
  return endpoints
    .map((e) => `${e.id}|${e.pod ?? ''}|${e.namespace ?? ''}|${e.zone ?? ''}|${e.node ?? ''}`)
    .join(',');
}
