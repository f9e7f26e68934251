/** A Kubernetes resource type: API group, version and plural name. */
export interface ResourceRef {
  /** API group; `''` is the core group (`/api/v1`). */
  readonly group: string;
  readonly version: string;
  /** Plural resource name, as in URLs and RBAC rules (`endpointslices`). */
  readonly resource: string;
}

export const SERVICES: ResourceRef = Object.freeze({ group: '', version: 'v1', resource: 'services' });
export const ENDPOINTS: ResourceRef = Object.freeze({ group: '', version: 'v1', resource: 'endpoints' });
export const PODS: ResourceRef = Object.freeze({ group: '', version: 'v1', resource: 'pods' });
export const ENDPOINT_SLICES: ResourceRef = Object.freeze({
  group: 'discovery.k8s.io',
  version: 'v1',
  resource: 'endpointslices',
});

/**
 * The URL path of a resource collection, or of one object when `name` is given:
 * `/api/v1/namespaces/NS/pods[/NAME]`, `/apis/GROUP/VERSION/...`; without a namespace, the
 * all-namespace (or cluster-scoped) collection.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string): string {
  const root = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const scope = namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${root}${scope}/${ref.resource}${tail}`;
}

/** `endpointslices.discovery.k8s.io`, or `services` for the core group, as kubectl names resources. */
export function qualifiedResource(ref: Pick<ResourceRef, 'group' | 'resource'>): string {
  return ref.group ? `${ref.resource}.${ref.group}` : ref.resource;
}
