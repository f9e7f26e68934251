import { KubeApiError } from '../kubeApiError.js';
import { type ResourceType, resourceByPath } from '../store/resources.js';

/** A request for a resource, decoded from its path, method and query like kube-apiserver's RequestInfo. */
export interface ResourceRequest {
  readonly kind: 'resource';
  readonly verb: string;
  readonly resource: ResourceType;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
  readonly query: URLSearchParams;
}

/** Discovery, OpenAPI, version and health paths. */
export interface NonResourceRequest {
  readonly kind: 'nonResource';
  readonly path: string;
  readonly query: URLSearchParams;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

const TRUE_FLAGS = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);

/**
 * A boolean query parameter read as kube-apiserver reads it (Go's strconv.ParseBool): the Python
 * client sends `watch=True`, kubectl and client-node `watch=true`.
 */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return TRUE_FLAGS.has(query.get(name) ?? '');
}

function verbOf(method: string, hasName: boolean, query: URLSearchParams): string {
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (queryFlag(query, 'watch')) return 'watch';
      return hasName ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return hasName ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

/**
 * Decodes `/api/v1/[namespaces/{ns}/]{plural}[/{name}[/{sub}]]` and `/apis/{g}/{v}/...`.
 * Paths that name no resource are non-resource requests (discovery and friends).
 */
export function parseRequest(method: string, url: URL): RequestInfo {
  const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const query = url.searchParams;
  let rest: string[];
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiVersion = parts[1] ?? '';
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiVersion = `${parts[1]}/${parts[2]}`;
    rest = parts.slice(3);
  } else {
    return { kind: 'nonResource', path: url.pathname, query };
  }

  // `/api/v1/watch/...` is the older spelling of `?watch=true`, still served and still used by clients
  // such as Ruby's kubeclient.
  const watchPath = rest[0] === 'watch' && rest.length >= 2;
  if (watchPath) rest = rest.slice(1);

  let namespace: string | undefined;
  // `namespaces/{ns}/{plural}...` addresses a namespaced resource; `namespaces/{ns}` alone is a Namespace.
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const [plural = '', name, subresource] = rest;
  const resource = resourceByPath(apiVersion, plural);
  if (!resource || rest.length > 3 || (watchPath && (subresource !== undefined || method !== 'GET'))) {
    throw new KubeApiError('NotFound', 'the server could not find the requested resource', {});
  }
  const verb = watchPath ? 'watch' : verbOf(method, name !== undefined, query);
  return {
    kind: 'resource',
    verb,
    resource,
    namespace: resource.namespaced ? namespace : undefined,
    name,
    subresource,
    query: verb === 'watch' && name !== undefined ? watchOfOne(query, name) : query,
  };
}

/** A watch of one object is a watch of its collection narrowed to its name, as kube-apiserver serves it. */
function watchOfOne(query: URLSearchParams, name: string): URLSearchParams {
  const narrowed = new URLSearchParams(query);
  const byName = `metadata.name=${name}`;
  const given = query.get('fieldSelector');
  narrowed.set('fieldSelector', given ? `${given},${byName}` : byName);
  return narrowed;
}
