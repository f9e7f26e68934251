import type { KubeObject } from '../cluster/kubeObject.js';
import type { EngineContext } from '../engineContext.js';
import type { QuerySpec } from './builder/querySpec.js';
import type { KindName, KindTypes } from './kinds.js';
import type { QuerySettings } from './queryEngineOptions.js';

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
