import type { KindTypes } from '../kinds.js';
import type { KubeSecret } from '../resources/configResources.js';
import type { KubeEvent } from '../resources/event.js';
import type { KubeNamespace } from '../resources/namespace.js';
import type { KubeNode } from '../resources/node.js';
import { Query } from './query.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type PodQuery = KindTypes['pods']['query'];

/** Namespaces, with a join to their pods. */
export class NamespaceQuery extends Query<KubeNamespace> {
  pods(): PodQuery {
    return this.join('pods', 'pods of each namespace', (ns) => ({ namespace: ns.name }));
  }
}

/** Nodes, with a join to the pods on them. */
export class NodeQuery extends Query<KubeNode> {
  /** Ready nodes (here). */
  ready(): this {
    return this.local('ready()', (n) => n.ready);
  }

  pods(): PodQuery {
    return this.join('pods', 'pods on each node (spec.nodeName)', (n) => ({
      fields: [{ field: 'spec.nodeName', op: '=', value: n.name }],
    }));
  }
}

/** Events, filtered on the server by object, type and reason. */
export class EventQuery extends Query<KubeEvent> {
  /** Events about one object (`involvedObject.kind` and `.name`). */
  forObject(kind: string, name: string): this {
    return this.withField('involvedObject.kind', kind).withField('involvedObject.name', name);
  }

  /** Only `Warning` events. */
  warnings(): this {
    return this.withField('type', 'Warning');
  }

  withReason(reason: string): this {
    return this.withField('reason', reason);
  }
}

/** Secrets: metadata only unless `withData()`. */
export class SecretQuery extends Query<KubeSecret> {
  /** Keep the values (`data`); by default only metadata and key names are kept. */
  withData(): this {
    return this.derive({ withData: true });
  }

  /** Secrets of one type (a `type` field selector). */
  ofType(type: string): this {
    return this.withField('type', type);
  }
}
