import { createEndpoint } from '../createEndpoint.js';
import type { Endpoint } from '../types.js';
import type { EndpointSlice } from './kubeShapes.js';
import { endpointPortFor, type PortChoice } from './servicePort.js';

/**
 * The endpoints of a Service from all its EndpointSlices, merged: one per address and port, for
 * endpoints neither not-ready (`ready === false`; unset means ready) nor terminating. Pod names come
 * from `targetRef`; zone and node from the slice.
 */
export function endpointsFromSlices(slices: readonly EndpointSlice[], choice: PortChoice): Endpoint[] {
  const result: Endpoint[] = [];
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    const port = endpointPortFor(slice.ports, choice);
    if (port === undefined) continue;
    for (const item of slice.endpoints ?? []) {
      const conditions = item.conditions ?? {};
      if (conditions.ready === false || conditions.terminating === true) continue;
      const pod =
        item.targetRef?.kind === 'Pod' || item.targetRef?.kind === undefined
          ? item.targetRef?.name
          : undefined;
      for (const host of item.addresses ?? []) {
        result.push(
          createEndpoint({
            host,
            port,
            pod,
            namespace: item.targetRef?.namespace ?? slice.metadata?.namespace,
            zone: item.zone,
            node: item.nodeName,
          }),
        );
      }
    }
  }
  return result;
}
