import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import { rfc3339 } from './rfc3339.js';

export interface SchedulerOptions {
  store: ObjectStore;
  now: () => number;
}

/** Where a pod landed: its node and that node's address (the pod's `hostIP`). */
export interface Placement {
  readonly nodeName: string;
  readonly hostIP: string;
}

const DEFAULT_NODES = [
  { suffix: 'a', ip: '127.0.100.1' },
  { suffix: 'b', ip: '127.0.100.2' },
  { suffix: 'c', ip: '127.0.100.3' },
] as const;

function defaultNode(suffix: string, ip: string, now: string): KubeObject {
  const name = `kubesmart-node-${suffix}`;
  const resources = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: {
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'topology.kubernetes.io/zone': `zone-${suffix}`,
        'topology.kubernetes.io/region': 'kubesmart',
      },
    },
    spec: { podCIDR: '127.0.0.0/8' },
    status: {
      capacity: resources,
      allocatable: resources,
      addresses: [
        { type: 'InternalIP', address: ip },
        { type: 'Hostname', address: name },
      ],
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'KubeletReady',
          message: 'kubelet is posting ready status',
          lastHeartbeatTime: now,
          lastTransitionTime: now,
        },
      ],
      nodeInfo: {
        kubeletVersion: 'v1.32.0',
        containerRuntimeVersion: 'containerd://1.7.0',
        operatingSystem: 'linux',
        architecture: 'amd64',
        osImage: 'kubesmart',
        kernelVersion: '6.0.0',
      },
    },
  };
}

function isSchedulable(node: KubeObject): boolean {
  if ((node.spec as { unschedulable?: boolean } | undefined)?.unschedulable) return false;
  const conditions = (node.status as { conditions?: { type?: string; status?: string }[] } | undefined)
    ?.conditions;
  const ready = conditions?.find((c) => c.type === 'Ready');
  return ready === undefined || ready.status === 'True';
}

export function hostIPOf(node: KubeObject | undefined): string {
  const addresses = (node?.status as { addresses?: { type?: string; address?: string }[] } | undefined)
    ?.addresses;
  return addresses?.find((a) => a.type === 'InternalIP')?.address ?? '127.0.0.1';
}

/**
 * The emulated scheduler: places pods round-robin on the schedulable, Ready Node objects. When the
 * cluster has no Node at all it creates three, one per zone (`kubesmart-node-a|b|c` in `zone-a|b|c`).
 */
export class Scheduler {
  readonly #options: SchedulerOptions;
  #next = 0;

  constructor(options: SchedulerOptions) {
    this.#options = options;
  }

  /** Picks a node, or undefined when no node can take the pod. */
  place(): Placement | undefined {
    const nodes = this.#nodes().filter(isSchedulable);
    const node = nodes[this.#next % Math.max(nodes.length, 1)];
    if (!node) return undefined;
    this.#next = (this.#next + 1) % nodes.length;
    return { nodeName: node.metadata.name ?? '', hostIP: hostIPOf(node) };
  }

  /** The placement of a pod already bound to `nodeName`. */
  placementOf(nodeName: string): Placement {
    const node = this.#options.store.get(resourceByPath('v1', 'nodes')!, undefined, nodeName);
    return { nodeName, hostIP: hostIPOf(node) };
  }

  /** The FailedScheduling message for the current nodes. */
  unschedulableMessage(why = 'Insufficient cpu'): string {
    const count = this.#nodes().length;
    return (
      `0/${count} nodes are available: ${count} ${why}. ` +
      `preemption: 0/${count} nodes are available: ${count} No preemption victims found for incoming pod.`
    );
  }

  #nodes(): readonly KubeObject[] {
    const rt = resourceByPath('v1', 'nodes')!;
    if (this.#options.store.count(rt) === 0) {
      const now = rfc3339(this.#options.now());
      for (const { suffix, ip } of DEFAULT_NODES)
        this.#options.store.create(rt, defaultNode(suffix, ip, now));
    }
    return this.#options.store.list(rt);
  }
}
