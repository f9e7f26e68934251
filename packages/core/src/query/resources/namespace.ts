import type { KubeObject } from '../../cluster/kubeObject.js';
import type { KindTypes } from '../kinds.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type PodQuery = KindTypes['pods']['query'];

/** A Namespace: its phase and the pods in it. */
export class KubeNamespace extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'namespaces', raw);
  }

  /** `Active` or `Terminating`. */
  get phase(): string {
    return this.status || 'Active';
  }

  pods(): PodQuery {
    return this.runtime.query('pods').inNamespace(this.name);
  }
}
