import type { KubeObject } from '../cluster/kubeObject.js';
import { ENDPOINT_SLICES, ENDPOINTS, PODS } from '../cluster/resources.js';
import type { WatchScope } from '../cluster/watchScope.js';
import { SERVICE_NAME_LABEL } from './kubeShapes.js';
import type { DiscoverySource } from './serviceDiscoveryOptions.js';

/** The Service an EndpointSlice belongs to, from its label. */
export const serviceOfSlice = (object: KubeObject): string | undefined =>
  object.metadata?.labels?.[SERVICE_NAME_LABEL];

export interface SourceScopeInput {
  service: string;
  namespace: string;
  /** Narrow caches to this Service's objects instead of sharing one per namespace. */
  perService: boolean;
  /** Pods' label selector for the `pods` source. */
  labelSelector: string | undefined;
}

/** The cache scope of a source, and which of its objects concern the Service. */
export function sourceScope(
  source: DiscoverySource,
  input: SourceScopeInput,
): { scope: WatchScope; relevant: (object: KubeObject) => boolean } {
  const { service, namespace, perService } = input;
  if (source === 'endpointslices') {
    const labelSelector = perService ? `${SERVICE_NAME_LABEL}=${service}` : undefined;
    return {
      scope: { resource: ENDPOINT_SLICES, namespace, labelSelector },
      relevant: (o) => serviceOfSlice(o) === service,
    };
  }
  if (source === 'endpoints') {
    const fieldSelector = perService ? `metadata.name=${service}` : undefined;
    return {
      scope: { resource: ENDPOINTS, namespace, fieldSelector },
      relevant: (o) => o.metadata?.name === service,
    };
  }
  const labelSelector = input.labelSelector ?? `app=${service}`;
  return { scope: { resource: PODS, namespace, labelSelector }, relevant: () => true };
}
