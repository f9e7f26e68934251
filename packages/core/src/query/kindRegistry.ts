/**
 * The one registry of query kinds: for each kind, its wrapper class, its query class and how to make
 * them. Everything else names other kinds through `KindTypes` (declared in `kinds.ts`, filled here), so
 * resource and query classes never import each other's modules.
 */
import type { KubeObject } from '../cluster/kubeObject.js';
import { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './builder/clusterQueries.js';
import { PodQuery } from './builder/podQuery.js';
import { Query } from './builder/query.js';
import type { QuerySpec } from './builder/querySpec.js';
import { EndpointSliceQuery, ServiceQuery } from './builder/serviceQueries.js';
import { DeploymentQuery, ReplicaSetQuery } from './builder/workloadQueries.js';
import type { KindName, KindTypes } from './kinds.js';
import type { QueryRuntime, WrapOptions } from './queryRuntime.js';
import { ConfigMap, Secret } from './resources/configResources.js';
import { KubeEvent } from './resources/event.js';
import { Namespace } from './resources/namespace.js';
import { Node } from './resources/node.js';
import { Pod } from './resources/pod.js';
import { EndpointSlice, Service } from './resources/service.js';
import { Deployment, ReplicaSet } from './resources/workloads.js';

declare module './kinds.js' {
  interface KindTypes {
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
}

type Factories = {
  [K in KindName]: {
    wrap: (runtime: QueryRuntime, object: KubeObject, options: WrapOptions) => KindTypes[K]['resource'];
    query: (runtime: QueryRuntime, spec: QuerySpec) => KindTypes[K]['query'];
  };
};

export const KIND_FACTORIES: Factories = {
  namespaces: { wrap: (r, o) => new Namespace(r, o), query: (r, s) => new NamespaceQuery(r, s) },
  pods: { wrap: (r, o) => new Pod(r, o), query: (r, s) => new PodQuery(r, s) },
  services: { wrap: (r, o) => new Service(r, o), query: (r, s) => new ServiceQuery(r, s) },
  endpointslices: { wrap: (r, o) => new EndpointSlice(r, o), query: (r, s) => new EndpointSliceQuery(r, s) },
  deployments: { wrap: (r, o) => new Deployment(r, o), query: (r, s) => new DeploymentQuery(r, s) },
  replicasets: { wrap: (r, o) => new ReplicaSet(r, o), query: (r, s) => new ReplicaSetQuery(r, s) },
  configmaps: { wrap: (r, o) => new ConfigMap(r, o), query: (r, s) => new Query<ConfigMap>(r, s) },
  secrets: {
    wrap: (r, o, w) => new Secret(r, o, w.withData ?? false),
    query: (r, s) => new SecretQuery(r, s),
  },
  events: { wrap: (r, o) => new KubeEvent(r, o), query: (r, s) => new EventQuery(r, s) },
  nodes: { wrap: (r, o) => new Node(r, o), query: (r, s) => new NodeQuery(r, s) },
};
