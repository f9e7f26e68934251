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
import { KubeConfigMap, KubeSecret } from './resources/configResources.js';
import { KubeEvent } from './resources/event.js';
import { KubeNamespace } from './resources/namespace.js';
import { KubeNode } from './resources/node.js';
import { KubePod } from './resources/pod.js';
import { KubeEndpointSlice, KubeService } from './resources/service.js';
import { KubeDeployment, KubeReplicaSet } from './resources/workloads.js';

declare module './kinds.js' {
  interface KindTypes {
    namespaces: { resource: KubeNamespace; query: NamespaceQuery };
    pods: { resource: KubePod; query: PodQuery };
    services: { resource: KubeService; query: ServiceQuery };
    endpointslices: { resource: KubeEndpointSlice; query: EndpointSliceQuery };
    deployments: { resource: KubeDeployment; query: DeploymentQuery };
    replicasets: { resource: KubeReplicaSet; query: ReplicaSetQuery };
    configmaps: { resource: KubeConfigMap; query: Query<KubeConfigMap> };
    secrets: { resource: KubeSecret; query: SecretQuery };
    events: { resource: KubeEvent; query: EventQuery };
    nodes: { resource: KubeNode; query: NodeQuery };
  }
}

type Factories = {
  [K in KindName]: {
    wrap: (runtime: QueryRuntime, object: KubeObject, options: WrapOptions) => KindTypes[K]['resource'];
    query: (runtime: QueryRuntime, spec: QuerySpec) => KindTypes[K]['query'];
  };
};

export const KIND_FACTORIES: Factories = {
  namespaces: { wrap: (r, o) => new KubeNamespace(r, o), query: (r, s) => new NamespaceQuery(r, s) },
  pods: { wrap: (r, o) => new KubePod(r, o), query: (r, s) => new PodQuery(r, s) },
  services: { wrap: (r, o) => new KubeService(r, o), query: (r, s) => new ServiceQuery(r, s) },
  endpointslices: {
    wrap: (r, o) => new KubeEndpointSlice(r, o),
    query: (r, s) => new EndpointSliceQuery(r, s),
  },
  deployments: { wrap: (r, o) => new KubeDeployment(r, o), query: (r, s) => new DeploymentQuery(r, s) },
  replicasets: { wrap: (r, o) => new KubeReplicaSet(r, o), query: (r, s) => new ReplicaSetQuery(r, s) },
  configmaps: { wrap: (r, o) => new KubeConfigMap(r, o), query: (r, s) => new Query<KubeConfigMap>(r, s) },
  secrets: {
    wrap: (r, o, w) => new KubeSecret(r, o, w.withData ?? false),
    query: (r, s) => new SecretQuery(r, s),
  },
  events: { wrap: (r, o) => new KubeEvent(r, o), query: (r, s) => new EventQuery(r, s) },
  nodes: { wrap: (r, o) => new KubeNode(r, o), query: (r, s) => new NodeQuery(r, s) },
};
