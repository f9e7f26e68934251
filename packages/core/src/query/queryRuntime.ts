import type { KubeObject } from '../cluster/kubeObject.js';
import type { EngineContext } from '../engineContext.js';
import type { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './builder/clusterQueries.js';
import type { PodQuery } from './builder/podQuery.js';
import type { Query } from './builder/query.js';
import type { QuerySpec } from './builder/querySpec.js';
import type { EndpointSliceQuery, ServiceQuery } from './builder/serviceQueries.js';
import type { DeploymentQuery, ReplicaSetQuery } from './builder/workloadQueries.js';
import type { KindName } from './kinds.js';
import type { QuerySettings } from './queryEngineOptions.js';
import type { ConfigMap, Secret } from './resources/configResources.js';
import type { KubeEvent } from './resources/event.js';
import type { Namespace } from './resources/namespace.js';
import type { Node } from './resources/node.js';
import type { Pod } from './resources/pod.js';
import type { EndpointSlice, Service } from './resources/service.js';
import type { Deployment, ReplicaSet } from './resources/workloads.js';

/** The wrapper and query class of each kind. */
export interface KindTypes {
  namespaces: { resource: Namespace; query: NamespaceQuery };
  pods: { resource: Pod; query: PodQuery };
  services: { resource: Service; query: ServiceQuery };
  endpointslices: { resource: EndpointSlice; query: EndpointSliceQuery };
  deployments: { resource: Deployment; query: DeploymentQuery };
  replicasets: { resource: ReplicaSet; query: ReplicaSetQuery };
  configmaps: { resource: ConfigMap; query: Query<ConfigMap> };
  secrets: { resource: Secret; query: SecretQuery };
  events: { resource: KubeEvent; query: EventQuery };
  nodes: { resource: Node; query: NodeQuery };
}

export interface WrapOptions {
  /** Keep Secret data. @default false */
  withData?: boolean;
}

/**
 * What queries and wrappers of one engine share: the engine context, the settings, and the
 * factories of every kind (so a wrapper can start a query of another kind without importing it).
 */
export interface QueryRuntime {
  readonly context: EngineContext;
  readonly settings: QuerySettings;
  wrap<K extends KindName>(kind: K, object: KubeObject, options?: WrapOptions): KindTypes[K]['resource'];
  query<K extends KindName>(kind: K, spec?: Partial<QuerySpec>): KindTypes[K]['query'];
}
