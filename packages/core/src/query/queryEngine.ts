import type { KubeObject } from '../cluster/kubeObject.js';
import type { EngineContext } from '../engineContext.js';
import { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './builder/clusterQueries.js';
import { PodQuery } from './builder/podQuery.js';
import { Query } from './builder/query.js';
import { emptySpec, type QuerySpec } from './builder/querySpec.js';
import { EndpointSliceQuery, ServiceQuery } from './builder/serviceQueries.js';
import { DeploymentQuery, ReplicaSetQuery } from './builder/workloadQueries.js';
import type { KindName } from './kinds.js';
import { type QueryEngineOptions, type QuerySettings, querySettings } from './queryEngineOptions.js';
import type { KindTypes, QueryRuntime, WrapOptions } from './queryRuntime.js';
import { ConfigMap, Secret } from './resources/configResources.js';
import { KubeEvent } from './resources/event.js';
import { Namespace } from './resources/namespace.js';
import { Node } from './resources/node.js';
import { Pod } from './resources/pod.js';
import { EndpointSlice, Service } from './resources/service.js';
import { Deployment, ReplicaSet } from './resources/workloads.js';

type Factories = {
  [K in KindName]: {
    wrap: (runtime: QueryRuntime, object: KubeObject, options: WrapOptions) => KindTypes[K]['resource'];
    query: (runtime: QueryRuntime, spec: QuerySpec) => KindTypes[K]['query'];
  };
};

const FACTORIES: Factories = {
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

/**
 * K8Kat-style queries over the cluster ("ActiveRecord for a cluster"): one entry point per kind,
 * fluent typed filters, joins, typed wrappers with actions, and `explain()`. Reads the shared watch
 * caches of the engine context when they cover a query.
 *
 * ```ts
 * const q = new QueryEngine({ context });
 * const bad = await q.deployments().notInNamespaces('dev').named('nlp-main').pods().broken().all();
 * bad.prettyPluck('namespace', 'status', 'image');
 * ```
 */
export class QueryEngine {
  readonly settings: QuerySettings;
  readonly #runtime: QueryRuntime;

  constructor(options: QueryEngineOptions) {
    const { context, ...rest } = options;
    const settings = querySettings(rest);
    this.settings = settings;
    this.#runtime = {
      context,
      settings,
      wrap: (kind, object, wrapOptions = {}) => FACTORIES[kind].wrap(this.#runtime, object, wrapOptions),
      query: (kind, spec = {}) => FACTORIES[kind].query(this.#runtime, { ...emptySpec(kind), ...spec }),
    };
  }

  get context(): EngineContext {
    return this.#runtime.context;
  }

  /** A query of any kind by its plural name. */
  of<K extends KindName>(kind: K): KindTypes[K]['query'] {
    return this.#runtime.query(kind);
  }

  /** Wraps an object you already hold (from a watch or a list) in its typed wrapper. */
  wrap<K extends KindName>(kind: K, object: KubeObject, options?: WrapOptions): KindTypes[K]['resource'] {
    return this.#runtime.wrap(kind, object, options);
  }

  namespaces(): NamespaceQuery {
    return this.of('namespaces');
  }

  pods(): PodQuery {
    return this.of('pods');
  }

  services(): ServiceQuery {
    return this.of('services');
  }

  endpointSlices(): EndpointSliceQuery {
    return this.of('endpointslices');
  }

  deployments(): DeploymentQuery {
    return this.of('deployments');
  }

  replicaSets(): ReplicaSetQuery {
    return this.of('replicasets');
  }

  configMaps(): Query<ConfigMap> {
    return this.of('configmaps');
  }

  /** Secrets: metadata only unless `.withData()`. */
  secrets(): SecretQuery {
    return this.of('secrets');
  }

  events(): EventQuery {
    return this.of('events');
  }

  nodes(): NodeQuery {
    return this.of('nodes');
  }
}
