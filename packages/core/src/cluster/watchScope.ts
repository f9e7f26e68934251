import { qualifiedResource, type ResourceRef } from './resources.js';

/** What one watch cache holds: a resource type, in a namespace or all, with optional selectors. */
export interface WatchScope {
  readonly resource: ResourceRef;
  /** Namespace to watch; absent: every namespace (or a cluster-scoped resource). */
  readonly namespace?: string | undefined;
  /** Label selector, as in `kubectl -l` (`app=web,tier!=db`). */
  readonly labelSelector?: string | undefined;
  /** Field selector (`metadata.name=x`). */
  readonly fieldSelector?: string | undefined;
}

/** A stable key: two scopes with the same key share one cache. */
export function scopeKey(scope: WatchScope): string {
  const { group, version, resource } = scope.resource;
  return [
    `${group}/${version}/${resource}`,
    scope.namespace ?? '',
    scope.labelSelector ?? '',
    scope.fieldSelector ?? '',
  ].join('|');
}

/** `endpointslices.discovery.k8s.io in "default" (-l app=web)`, for logs and errors. */
export function describeScope(scope: WatchScope): string {
  const where = scope.namespace ? `in namespace "${scope.namespace}"` : 'in all namespaces';
  const selectors = [
    scope.labelSelector ? `-l ${scope.labelSelector}` : '',
    scope.fieldSelector ? `--field-selector ${scope.fieldSelector}` : '',
  ].filter(Boolean);
  return `${qualifiedResource(scope.resource)} ${where}${selectors.length ? ` (${selectors.join(' ')})` : ''}`;
}
