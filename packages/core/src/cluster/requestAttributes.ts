/** What an API request does, in the terms of RBAC: verb, group, resource, namespace, name. */
export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** Absent for cluster-scoped and all-namespace requests. */
  namespace?: string;
  name?: string;
}

const VERB_BY_METHOD: Readonly<Record<string, string>> = Object.freeze({
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
});

/**
 * Reads the RBAC attributes from a request's method, path and query, as kube-apiserver does, so
 * errors can name what was refused. Returns undefined for non-resource paths (`/version`, `/apis`).
 */
export function requestAttributes(
  method: string,
  path: string,
  query?: URLSearchParams,
): RequestAttributes | undefined {
  const parts = path.split('?', 1)[0]!.split('/').filter(Boolean).map(decodeURIComponent);
  let rest: string[];
  let group: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1]!;
    rest = parts.slice(3);
  } else return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [resource, name, subresource] = rest;
  if (resource === undefined) return undefined;
  const upper = method.toUpperCase();
  let verb: string;
  if (upper === 'GET' || upper === 'HEAD') {
    verb = query?.get('watch') === 'true' || query?.get('watch') === '1' ? 'watch' : name ? 'get' : 'list';
  } else if (upper === 'DELETE') verb = name ? 'delete' : 'deletecollection';
  else verb = VERB_BY_METHOD[upper] ?? upper.toLowerCase();
  const attrs: RequestAttributes = { verb, group, resource };
  if (namespace !== undefined) attrs.namespace = namespace;
  if (name !== undefined) attrs.name = name;
  if (subresource !== undefined) attrs.subresource = subresource;
  return attrs;
}

/** `list endpointslices.discovery.k8s.io in namespace "default"`. */
export function describeAttributes(attrs: RequestAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const qualified = attrs.group ? `${resource}.${attrs.group}` : resource;
  const target = attrs.name ? `${qualified} "${attrs.name}"` : qualified;
  const scope = attrs.namespace ? `in namespace "${attrs.namespace}"` : 'across all namespaces';
  return `${attrs.verb} ${target} ${scope}`;
}

/** The RBAC rule that would allow the request, as YAML flow text for a Role. */
export function ruleFor(attrs: RequestAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return `{ apiGroups: ["${attrs.group}"], resources: ["${resource}"], verbs: ["${attrs.verb}"] }`;
}
