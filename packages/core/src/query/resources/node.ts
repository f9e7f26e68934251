import type { KubeObject } from '../../cluster/kubeObject.js';
import { formatAge } from '../format/duration.js';
import type { KindTypes } from '../kinds.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type PodQuery = KindTypes['pods']['query'];

interface NodeJson extends KubeObject {
  spec?: { unschedulable?: boolean };
  status?: {
    conditions?: { type: string; status: string }[];
    addresses?: { type?: string; address?: string }[];
    nodeInfo?: { kubeletVersion?: string };
  };
}

/** A Node: readiness, addresses, zone, and the pods on it. */
export class KubeNode extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'nodes', raw);
  }

  protected get json(): NodeJson {
    return this.raw as NodeJson;
  }

  get ready(): boolean {
    return this.json.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  }

  get unschedulable(): boolean {
    return this.json.spec?.unschedulable === true;
  }

  /** `Ready`, `NotReady`, with `,SchedulingDisabled` when cordoned. */
  override get status(): string {
    return `${this.ready ? 'Ready' : 'NotReady'}${this.unschedulable ? ',SchedulingDisabled' : ''}`;
  }

  get internalIP(): string | undefined {
    return this.json.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
  }

  get zone(): string | undefined {
    return this.labels['topology.kubernetes.io/zone'];
  }

  get roles(): string[] {
    const prefix = 'node-role.kubernetes.io/';
    return Object.keys(this.labels)
      .filter((l) => l.startsWith(prefix))
      .map((l) => l.slice(prefix.length));
  }

  get kubeletVersion(): string | undefined {
    return this.json.status?.nodeInfo?.kubeletVersion;
  }

  override columns(): Record<string, unknown> {
    return {
      name: this.name,
      status: this.status,
      roles: this.roles,
      age: formatAge(this.age),
      version: this.kubeletVersion,
      internalIP: this.internalIP,
      zone: this.zone,
    };
  }

  /** Pods placed on this node (a `spec.nodeName` field selector), in every namespace. */
  pods(): PodQuery {
    return this.runtime.query('pods').onNode(this.name);
  }
}
