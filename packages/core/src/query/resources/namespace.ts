import type { KubeObject } from '../../cluster/kubeObject.js';
import type { PodQuery } from '../builder/podQuery.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

/** A Namespace: its phase and the pods in it. */
export class Namespace extends KubeResource {
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
