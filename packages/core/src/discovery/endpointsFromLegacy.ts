import { createEndpoint } from '../createEndpoint.js';
import type { Endpoint } from '../types.js';
import type { LegacyEndpoints } from './kubeShapes.js';
import { endpointPortFor, type PortChoice } from './servicePort.js';

/** The ready endpoints of a legacy Endpoints object (`notReadyAddresses` are left out). */
export function endpointsFromLegacy(endpoints: LegacyEndpoints | undefined, choice: PortChoice): Endpoint[] {
  const result: Endpoint[] = [];
  for (const subset of endpoints?.subsets ?? []) {
    const port = endpointPortFor(subset.ports, choice);
    if (port === undefined) continue;
    for (const address of subset.addresses ?? []) {
      result.push(
        createEndpoint({
          host: address.ip,
          port,
          pod: address.targetRef?.kind === 'Pod' ? address.targetRef.name : undefined,
          namespace: address.targetRef?.namespace ?? endpoints?.metadata?.namespace,
          node: address.nodeName,
        }),
      );
    }
  }
  return result;
}
