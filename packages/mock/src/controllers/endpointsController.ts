import { createHash } from 'node:crypto';
import { selectorFromSet } from '../store/labelSelector.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { keyOf, splitKey, WorkQueue } from './workQueue.js';

const SERVICES = resourceByPath('v1', 'services')!;
const PODS = resourceByPath('v1', 'pods')!;
const NODES = resourceByPath('v1', 'nodes')!;
const ENDPOINTS = resourceByPath('v1', 'endpoints')!;
const SLICES = resourceByPath('discovery.k8s.io/v1', 'endpointslices')!;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';
const ZONE_LABEL = 'topology.kubernetes.io/zone';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  targetRef: { kind: 'Pod'; name: string; namespace: string; uid: string };
  nodeName?: string;
  zone?: string;
}

interface EndpointGroup {
  ports: { name?: string; port: number; protocol: string }[];
  endpoints: SliceEndpoint[];
}

export interface EndpointsControllerOptions {
  /** Endpoints per EndpointSlice before another slice is started. @default 100 */
  maxEndpointsPerSlice?: number;
}

function podIsReady(pod: KubeObject): boolean {
  const conditions = (pod.status as { conditions?: { type: string; status: string }[] } | undefined)
    ?.conditions;
  return conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function podIp(pod: KubeObject): string | undefined {
  return (pod.status as { podIP?: string } | undefined)?.podIP;
}

function phaseOf(pod: KubeObject): string | undefined {
  return (pod.status as { phase?: string } | undefined)?.phase;
}

/** Resolves a Service port's targetPort (number or container port name) against one pod. */
function resolveTargetPort(port: ServicePort, pod: KubeObject): number | undefined {
  const target = port.targetPort ?? port.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers =
    (pod.spec as { containers?: { ports?: ContainerPort[] }[] } | undefined)?.containers ?? [];
  for (const container of containers) {
    const match = container.ports?.find((p) => p.name === target);
    if (match) return match.containerPort;
  }
  return undefined;
}

const stableJson = (value: unknown): string => JSON.stringify(value);

/**
 * The endpoints controller: for each Service with a selector it keeps EndpointSlices (and the legacy
 * Endpoints object) in step with the matching pods, with ready/serving/terminating conditions,
 * targetRef, node and zone, and ports resolved per pod.
 */
export class EndpointsController {
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;
  readonly #maxPerSlice: number;

  constructor(
    private readonly store: ObjectStore,
    logger: Logger,
    options: EndpointsControllerOptions = {},
  ) {
    this.#maxPerSlice = options.maxEndpointsPerSlice ?? 100;
    this.#queue = new WorkQueue('endpoints', (key) => this.#reconcile(key), logger);
    this.#unsubscribe = store.onChange((event) => this.#onChange(event));
    for (const svc of store.list(SERVICES))
      this.#queue.enqueue(keyOf(svc.metadata.namespace, svc.metadata.name));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onChange(event: StoreEvent): void {
    const { resource, object } = event;
    if (resource === SERVICES) {
      this.#queue.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
    } else if (resource === PODS) {
      for (const svc of this.store.list(SERVICES, object.metadata.namespace)) {
        const selector = (svc.spec as { selector?: Record<string, string> } | undefined)?.selector;
        if (!selector || Object.keys(selector).length === 0) continue;
        const matcher = selectorFromSet(selector);
        if (
          matcher.matches(object.metadata.labels) ||
          (event.previous && matcher.matches(event.previous.metadata.labels))
        ) {
          this.#queue.enqueue(keyOf(svc.metadata.namespace, svc.metadata.name));
        }
      }
    }
  }

  #reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const service = this.store.get(SERVICES, namespace, name);
    const selector = (service?.spec as { selector?: Record<string, string> } | undefined)?.selector;
    if (!service || !selector || Object.keys(selector).length === 0) {
      if (!service) this.#deleteAll(namespace, name);
      return;
    }
    const groups = this.#desiredGroups(service, selector);
    this.#writeSlices(service, groups);
    this.#writeEndpoints(service, groups);
  }

  #desiredGroups(service: KubeObject, selector: Record<string, string>): EndpointGroup[] {
    const ports = ((service.spec as { ports?: ServicePort[] }).ports ?? []) as ServicePort[];
    const matcher = selectorFromSet(selector);
    const pods = this.store
      .list(PODS, service.metadata.namespace)
      .filter(
        (pod) =>
          matcher.matches(pod.metadata.labels) &&
          podIp(pod) &&
          !['Failed', 'Succeeded'].includes(phaseOf(pod) ?? ''),
      );
    const groups = new Map<string, EndpointGroup>();
    for (const pod of pods) {
      const resolved = ports
        .map((p) => ({ name: p.name, port: resolveTargetPort(p, pod), protocol: p.protocol ?? 'TCP' }))
        .filter(
          (p): p is { name: string | undefined; port: number; protocol: string } => p.port !== undefined,
        )
        .map((p) =>
          p.name
            ? { name: p.name, port: p.port, protocol: p.protocol }
            : { port: p.port, protocol: p.protocol },
        );
      const groupKey = stableJson(resolved);
      let group = groups.get(groupKey);
      if (!group) {
        group = { ports: resolved, endpoints: [] };
        groups.set(groupKey, group);
      }
      group.endpoints.push(this.#endpointOf(pod));
    }
    return [...groups.values()];
  }

  #endpointOf(pod: KubeObject): SliceEndpoint {
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const ready = podIsReady(pod) && !terminating;
    const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
    const zone = nodeName
      ? this.store.get(NODES, undefined, nodeName)?.metadata.labels?.[ZONE_LABEL]
      : undefined;
    return {
      addresses: [podIp(pod) ?? ''],
      conditions: { ready, serving: podIsReady(pod), terminating },
      targetRef: {
        kind: 'Pod',
        name: pod.metadata.name ?? '',
        namespace: pod.metadata.namespace ?? '',
        uid: pod.metadata.uid ?? '',
      },
      ...(nodeName ? { nodeName } : {}),
      ...(zone ? { zone } : {}),
    };
  }

  #writeSlices(service: KubeObject, groups: EndpointGroup[]): void {
    const namespace = service.metadata.namespace ?? '';
    const serviceName = service.metadata.name ?? '';
    const desired = new Map<string, KubeObject>();
    for (const group of groups.length > 0 ? groups : [{ ports: [], endpoints: [] }]) {
      for (let start = 0; start < Math.max(group.endpoints.length, 1); start += this.#maxPerSlice) {
        const endpoints = group.endpoints.slice(start, start + this.#maxPerSlice);
        const suffix = createHash('sha256')
          .update(`${stableJson(group.ports)}#${start}`)
          .digest('hex')
          .slice(0, 5);
        const name = `${serviceName}-${suffix}`;
        desired.set(name, {
          apiVersion: SLICES.apiVersion,
          kind: SLICES.kind,
          metadata: {
            name,
            namespace,
            labels: { [SERVICE_NAME_LABEL]: serviceName, [MANAGED_BY_LABEL]: MANAGED_BY },
            ownerReferences: [
              {
                apiVersion: 'v1',
                kind: 'Service',
                name: serviceName,
                uid: service.metadata.uid ?? '',
                controller: true,
                blockOwnerDeletion: true,
              },
            ],
          },
          addressType: 'IPv4',
          endpoints,
          ports: group.ports,
        });
      }
    }
    const existing = this.store
      .list(SLICES, namespace)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME_LABEL] === serviceName &&
          s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY,
      );
    for (const slice of existing) {
      if (!desired.has(slice.metadata.name ?? ''))
        this.store.delete(SLICES, namespace, slice.metadata.name ?? '');
    }
    for (const [name, slice] of desired) {
      const current = this.store.get(SLICES, namespace, name);
      if (!current) this.store.create(SLICES, slice);
      else if (
        stableJson([current.endpoints, current.ports]) !== stableJson([slice.endpoints, slice.ports])
      ) {
        this.store.update(SLICES, {
          ...slice,
          metadata: { ...current.metadata, ...slice.metadata, resourceVersion: '' },
        });
      }
    }
  }

  #writeEndpoints(service: KubeObject, groups: EndpointGroup[]): void {
    const namespace = service.metadata.namespace ?? '';
    const name = service.metadata.name ?? '';
    const address = (e: SliceEndpoint) => ({
      ip: e.addresses[0],
      ...(e.nodeName ? { nodeName: e.nodeName } : {}),
      targetRef: e.targetRef,
    });
    const subsets = groups
      .filter((g) => g.endpoints.length > 0)
      .map((g) => {
        const ready = g.endpoints.filter((e) => e.conditions.ready).map(address);
        const notReady = g.endpoints.filter((e) => !e.conditions.ready).map(address);
        return {
          ...(ready.length > 0 ? { addresses: ready } : {}),
          ...(notReady.length > 0 ? { notReadyAddresses: notReady } : {}),
          ports: g.ports,
        };
      });
    const desired: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name, namespace, labels: { ...service.metadata.labels } },
      subsets,
    };
    const current = this.store.get(ENDPOINTS, namespace, name);
    if (!current) this.store.create(ENDPOINTS, desired);
    else if (stableJson(current.subsets) !== stableJson(subsets)) {
      this.store.update(ENDPOINTS, { ...desired, metadata: { ...current.metadata, resourceVersion: '' } });
    }
  }

  #deleteAll(namespace: string, serviceName: string): void {
    for (const slice of this.store.list(SLICES, namespace)) {
      if (
        slice.metadata.labels?.[SERVICE_NAME_LABEL] === serviceName &&
        slice.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY
      ) {
        this.store.delete(SLICES, namespace, slice.metadata.name ?? '');
      }
    }
    if (this.store.get(ENDPOINTS, namespace, serviceName))
      this.store.delete(ENDPOINTS, namespace, serviceName);
  }
}
