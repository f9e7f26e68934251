import type { ResourceRef } from '../cluster/resources.js';

/** The resource kinds the query engine serves, by plural name. */
export type KindName =
  | 'namespaces'
  | 'pods'
  | 'services'
  | 'endpointslices'
  | 'deployments'
  | 'replicasets'
  | 'configmaps'
  | 'secrets'
  | 'events'
  | 'nodes';

/**
 * The wrapper and query class of each kind. Declared empty here and filled in by `kindRegistry.ts`
 * (declaration merging), so a class can name another kind's types without importing its module.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by kindRegistry.ts through declaration merging
export interface KindTypes {}

/** What the engine needs to know about a kind. */
export interface KindInfo {
  readonly name: KindName;
  readonly ref: ResourceRef;
  /** The `kind` of its objects (`Pod`). */
  readonly kind: string;
  readonly namespaced: boolean;
  /** Lower-case kind, as in `pod/NAME`. */
  readonly singular: string;
}

const info = (name: KindName, group: string, version: string, kind: string, namespaced = true): KindInfo =>
  Object.freeze({
    name,
    ref: Object.freeze({ group, version, resource: name }),
    kind,
    namespaced,
    singular: kind.toLowerCase(),
  });

export const KINDS: Readonly<Record<KindName, KindInfo>> = Object.freeze({
  namespaces: info('namespaces', '', 'v1', 'Namespace', false),
  pods: info('pods', '', 'v1', 'Pod'),
  services: info('services', '', 'v1', 'Service'),
  endpointslices: info('endpointslices', 'discovery.k8s.io', 'v1', 'EndpointSlice'),
  deployments: info('deployments', 'apps', 'v1', 'Deployment'),
  replicasets: info('replicasets', 'apps', 'v1', 'ReplicaSet'),
  configmaps: info('configmaps', '', 'v1', 'ConfigMap'),
  secrets: info('secrets', '', 'v1', 'Secret'),
  events: info('events', '', 'v1', 'Event'),
  nodes: info('nodes', '', 'v1', 'Node', false),
});
