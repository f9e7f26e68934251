import type { KubeObject } from '../cluster/kubeObject.js';
import type { EngineContext } from '../engineContext.js';
import type { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './builder/clusterQueries.js';
import type { PodQuery } from './builder/podQuery.js';
import type { Query } from './builder/query.js';
import { emptySpec } from './builder/querySpec.js';
import type { EndpointSliceQuery, ServiceQuery } from './builder/serviceQueries.js';
import type { DeploymentQuery, ReplicaSetQuery } from './builder/workloadQueries.js';
import { KIND_FACTORIES } from './kindRegistry.js';
import type { KindName, KindTypes } from './kinds.js';
import { type QueryEngineOptions, type QuerySettings, querySettings } from './queryEngineOptions.js';
import type { QueryRuntime, WrapOptions } from './queryRuntime.js';
import type { KubeConfigMap } from './resources/configResources.js';

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
      wrap: (kind, object, wrapOptions = {}) => KIND_FACTORIES[kind].wrap(this.#runtime, object, wrapOptions),
      query: (kind, spec = {}) => KIND_FACTORIES[kind].query(this.#runtime, { ...emptySpec(kind), ...spec }),
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

  configMaps(): Query<KubeConfigMap> {
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
