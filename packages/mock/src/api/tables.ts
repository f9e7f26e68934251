import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';

/** kubectl asks for server-side printing with this Accept header on `get` and `get -w`. */
export function wantsTable(accept: string | undefined): boolean {
  return accept?.includes('as=Table') ?? false;
}

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  /** 0: always shown; 1: only with `-o wide`. */
  priority: 0 | 1;
  cell: (obj: KubeObject, now: number) => string | number;
}

// biome-ignore lint/suspicious/noExplicitAny: printing reads arbitrary object shapes
type Loose = Record<string, any>;

const spec = (obj: KubeObject): Loose => (obj.spec ?? {}) as Loose;
const status = (obj: KubeObject): Loose => (obj.status ?? {}) as Loose;

/** `5s`, `3m`, `2h`, `4d`, as kubectl prints ages. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  const seconds = Math.max(0, Math.floor((now - Date.parse(timestamp)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86400)}d`;
}

const name: Column = { name: 'Name', type: 'string', priority: 0, cell: (o) => o.metadata.name ?? '' };
const ageColumn: Column = {
  name: 'Age',
  type: 'string',
  priority: 0,
  cell: (o, now) => age(o.metadata.creationTimestamp, now),
};

function podStatus(pod: KubeObject): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  const containers = (status(pod).containerStatuses ?? []) as Loose[];
  for (const c of containers) {
    const reason = c.state?.waiting?.reason ?? c.state?.terminated?.reason;
    if (reason) return reason;
  }
  return status(pod).phase ?? 'Unknown';
}

function podReady(pod: KubeObject): string {
  const containers = (spec(pod).containers ?? []) as Loose[];
  const ready = ((status(pod).containerStatuses ?? []) as Loose[]).filter((c) => c.ready).length;
  return `${ready}/${containers.length}`;
}

function servicePorts(svc: KubeObject): string {
  const ports = (spec(svc).ports ?? []) as Loose[];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

function endpointAddresses(ep: KubeObject): string {
  const subsets = (ep.subsets ?? []) as Loose[];
  const list = subsets.flatMap((s) =>
    ((s.addresses ?? []) as Loose[]).flatMap((a) =>
      ((s.ports ?? []) as Loose[]).map((p) => `${a.ip}:${p.port}`),
    ),
  );
  if (list.length === 0) return '<none>';
  return list.length > 3 ? `${list.slice(0, 3).join(',')} + ${list.length - 3} more...` : list.join(',');
}

function sliceEndpoints(slice: KubeObject): string {
  const addresses = ((slice.endpoints ?? []) as Loose[]).flatMap((e) => e.addresses as string[]);
  if (addresses.length === 0) return '<unset>';
  return addresses.length > 3
    ? `${addresses.slice(0, 3).join(',')} + ${addresses.length - 3} more...`
    : addresses.join(',');
}

const dataCount = (obj: KubeObject): number =>
  Object.keys((obj.data ?? {}) as object).length + Object.keys((obj.binaryData ?? {}) as object).length;

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    name,
    { name: 'Ready', type: 'string', priority: 0, cell: podReady },
    { name: 'Status', type: 'string', priority: 0, cell: podStatus },
    {
      name: 'Restarts',
      type: 'string',
      priority: 0,
      cell: (o) =>
        ((status(o).containerStatuses ?? []) as Loose[]).reduce((n, c) => n + (c.restartCount ?? 0), 0),
    },
    ageColumn,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => status(o).podIP ?? '<none>' },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => spec(o).nodeName ?? '<none>' },
  ],
  Deployment: [
    name,
    {
      name: 'Ready',
      type: 'string',
      priority: 0,
      cell: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 0}`,
    },
    { name: 'Up-to-date', type: 'integer', priority: 0, cell: (o) => status(o).updatedReplicas ?? 0 },
    { name: 'Available', type: 'integer', priority: 0, cell: (o) => status(o).availableReplicas ?? 0 },
    ageColumn,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', priority: 0, cell: (o) => spec(o).replicas ?? 0 },
    { name: 'Current', type: 'integer', priority: 0, cell: (o) => status(o).replicas ?? 0 },
    { name: 'Ready', type: 'integer', priority: 0, cell: (o) => status(o).readyReplicas ?? 0 },
    ageColumn,
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', priority: 0, cell: (o) => spec(o).type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', priority: 0, cell: (o) => spec(o).clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', priority: 0, cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', priority: 0, cell: servicePorts },
    ageColumn,
  ],
  Endpoints: [name, { name: 'Endpoints', type: 'string', priority: 0, cell: endpointAddresses }, ageColumn],
  EndpointSlice: [
    name,
    { name: 'AddressType', type: 'string', priority: 0, cell: (o) => String(o.addressType ?? '') },
    {
      name: 'Ports',
      type: 'string',
      priority: 0,
      cell: (o) => ((o.ports ?? []) as Loose[]).map((p) => p.port).join(',') || '<unset>',
    },
    { name: 'Endpoints', type: 'string', priority: 0, cell: sliceEndpoints },
    ageColumn,
  ],
  ConfigMap: [name, { name: 'Data', type: 'integer', priority: 0, cell: dataCount }, ageColumn],
  Secret: [
    name,
    { name: 'Type', type: 'string', priority: 0, cell: (o) => String(o.type ?? 'Opaque') },
    { name: 'Data', type: 'integer', priority: 0, cell: dataCount },
    ageColumn,
  ],
  Namespace: [
    name,
    { name: 'Status', type: 'string', priority: 0, cell: (o) => status(o).phase ?? 'Active' },
    ageColumn,
  ],
  Node: [
    name,
    {
      name: 'Status',
      type: 'string',
      priority: 0,
      cell: (o) =>
        ((status(o).conditions ?? []) as Loose[]).some((c) => c.type === 'Ready' && c.status === 'True')
          ? 'Ready'
          : 'NotReady',
    },
    { name: 'Roles', type: 'string', priority: 0, cell: () => '<none>' },
    ageColumn,
    { name: 'Version', type: 'string', priority: 0, cell: (o) => status(o).nodeInfo?.kubeletVersion ?? '' },
  ],
  Event: [
    {
      name: 'Last Seen',
      type: 'string',
      priority: 0,
      cell: (o, now) => age(String(o.lastTimestamp ?? o.metadata.creationTimestamp), now),
    },
    { name: 'Type', type: 'string', priority: 0, cell: (o) => String(o.type ?? '') },
    { name: 'Reason', type: 'string', priority: 0, cell: (o) => String(o.reason ?? '') },
    {
      name: 'Object',
      type: 'string',
      priority: 0,
      cell: (o) => {
        const ref = (o.involvedObject ?? {}) as Loose;
        return `${String(ref.kind ?? '').toLowerCase()}/${ref.name ?? ''}`;
      },
    },
    { name: 'Message', type: 'string', priority: 0, cell: (o) => String(o.message ?? '') },
  ],
};

function columnsFor(rt: ResourceType): Column[] {
  return COLUMNS[rt.kind] ?? [name, ageColumn];
}

function row(columns: Column[], obj: KubeObject, now: number): object {
  return {
    cells: columns.map((c) => c.cell(obj, now)),
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
  };
}

/** A `meta.k8s.io/v1` Table of objects, with the columns kubectl shows for the kind. */
export function toTable(
  rt: ResourceType,
  objects: readonly KubeObject[],
  metadata: Record<string, unknown>,
  now = Date.now(),
): object {
  const columns = columnsFor(rt);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.name === 'Name' ? 'name' : '',
      description: c.name,
      priority: c.priority,
    })),
    rows: objects.map((obj) => row(columns, obj, now)),
  };
}
