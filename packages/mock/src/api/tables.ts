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

/** `app=web,tier in (a,b)`, as kubectl formats a LabelSelector; `<none>` when empty. */
function formatSelector(selector: Loose | undefined): string {
  const labels = Object.entries((selector?.matchLabels ?? {}) as Record<string, string>)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`);
  const expressions = ((selector?.matchExpressions ?? []) as Loose[]).map((e) => {
    const values = ((e.values ?? []) as string[]).join(',');
    if (e.operator === 'In') return `${e.key} in (${values})`;
    if (e.operator === 'NotIn') return `${e.key} notin (${values})`;
    if (e.operator === 'Exists') return String(e.key);
    return `!${e.key}`;
  });
  const all = [...labels, ...expressions];
  return all.length > 0 ? all.join(',') : '<none>';
}

const templateContainers = (obj: KubeObject): Loose[] =>
  (spec(obj).template?.spec?.containers ?? []) as Loose[];
const containerNames = (obj: KubeObject): string =>
  templateContainers(obj)
    .map((c) => c.name)
    .join(',');
const containerImages = (obj: KubeObject): string =>
  templateContainers(obj)
    .map((c) => c.image)
    .join(',');
/** The CONTAINERS, IMAGES and SELECTOR columns of `-o wide` for workloads. */
const workloadWide: Column[] = [
  { name: 'Containers', type: 'string', priority: 1, cell: containerNames },
  { name: 'Images', type: 'string', priority: 1, cell: containerImages },
  { name: 'Selector', type: 'string', priority: 1, cell: (o) => formatSelector(spec(o).selector) },
];

function nodeAddress(node: KubeObject, type: string): string {
  const address = ((status(node).addresses ?? []) as Loose[]).find((a) => a.type === type);
  return address?.address ?? '<none>';
}

const dataCount = (obj: KubeObject): number =>
  Object.keys((obj.data ?? {}) as object).length + Object.keys((obj.binaryData ?? {}) as object).length;

const ACCESS_MODES: Record<string, string> = {
  ReadWriteOnce: 'RWO',
  ReadOnlyMany: 'ROX',
  ReadWriteMany: 'RWX',
  ReadWriteOncePod: 'RWOP',
};
const accessModes = (modes: unknown): string =>
  ((modes ?? []) as string[]).map((m) => ACCESS_MODES[m] ?? m).join(',');

/** `Complete`, `Failed`, `Suspended` or `Running`, as kubectl 1.30+ prints a Job's STATUS. */
function jobStatus(job: KubeObject): string {
  const conditions = (status(job).conditions ?? []) as Loose[];
  const holds = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  if (holds('Complete')) return 'Complete';
  if (holds('Failed')) return 'Failed';
  if (spec(job).suspend) return 'Suspended';
  return 'Running';
}

/** `12s`, `3m4s`: how long a Job ran (until now while it runs). */
function jobDuration(job: KubeObject, now: number): string {
  const start = status(job).startTime;
  if (!start) return '';
  const end = status(job).completionTime ? Date.parse(status(job).completionTime) : now;
  const seconds = Math.max(0, Math.floor((end - Date.parse(start)) / 1000));
  return seconds < 120 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

const COLUMNS: Record<string, Column[]> = {
  Job: [
    name,
    { name: 'Status', type: 'string', priority: 0, cell: jobStatus },
    {
      name: 'Completions',
      type: 'string',
      priority: 0,
      cell: (o) => `${status(o).succeeded ?? 0}/${spec(o).completions ?? 1}`,
    },
    { name: 'Duration', type: 'string', priority: 0, cell: jobDuration },
    ageColumn,
    ...workloadWide,
  ],
  StatefulSet: [
    name,
    {
      name: 'Ready',
      type: 'string',
      priority: 0,
      cell: (o) => `${status(o).readyReplicas ?? 0}/${spec(o).replicas ?? 1}`,
    },
    ageColumn,
    ...workloadWide.slice(0, 2),
  ],
  PersistentVolumeClaim: [
    name,
    { name: 'Status', type: 'string', priority: 0, cell: (o) => status(o).phase ?? 'Pending' },
    { name: 'Volume', type: 'string', priority: 0, cell: (o) => spec(o).volumeName ?? '' },
    { name: 'Capacity', type: 'string', priority: 0, cell: (o) => status(o).capacity?.storage ?? '' },
    { name: 'Access Modes', type: 'string', priority: 0, cell: (o) => accessModes(status(o).accessModes) },
    { name: 'StorageClass', type: 'string', priority: 0, cell: (o) => spec(o).storageClassName ?? '' },
    {
      name: 'VolumeAttributesClass',
      type: 'string',
      priority: 0,
      cell: (o) => spec(o).volumeAttributesClassName ?? '<unset>',
    },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, cell: (o) => spec(o).volumeMode ?? 'Filesystem' },
  ],
  PersistentVolume: [
    name,
    { name: 'Capacity', type: 'string', priority: 0, cell: (o) => spec(o).capacity?.storage ?? '' },
    { name: 'Access Modes', type: 'string', priority: 0, cell: (o) => accessModes(spec(o).accessModes) },
    {
      name: 'Reclaim Policy',
      type: 'string',
      priority: 0,
      cell: (o) => spec(o).persistentVolumeReclaimPolicy ?? 'Retain',
    },
    { name: 'Status', type: 'string', priority: 0, cell: (o) => status(o).phase ?? 'Available' },
    {
      name: 'Claim',
      type: 'string',
      priority: 0,
      cell: (o) => (spec(o).claimRef ? `${spec(o).claimRef.namespace}/${spec(o).claimRef.name}` : ''),
    },
    { name: 'StorageClass', type: 'string', priority: 0, cell: (o) => spec(o).storageClassName ?? '' },
    {
      name: 'VolumeAttributesClass',
      type: 'string',
      priority: 0,
      cell: (o) => spec(o).volumeAttributesClassName ?? '<unset>',
    },
    { name: 'Reason', type: 'string', priority: 0, cell: (o) => status(o).reason ?? '' },
    ageColumn,
    { name: 'VolumeMode', type: 'string', priority: 1, cell: (o) => spec(o).volumeMode ?? 'Filesystem' },
  ],
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
    {
      name: 'Nominated Node',
      type: 'string',
      priority: 1,
      cell: (o) => status(o).nominatedNodeName ?? '<none>',
    },
    {
      name: 'Readiness Gates',
      type: 'string',
      priority: 1,
      cell: (o) => {
        const gates = (spec(o).readinessGates ?? []) as Loose[];
        if (gates.length === 0) return '<none>';
        const conditions = (status(o).conditions ?? []) as Loose[];
        const met = gates.filter((g) =>
          conditions.some((c) => c.type === g.conditionType && c.status === 'True'),
        ).length;
        return `${met}/${gates.length}`;
      },
    },
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
    ...workloadWide,
  ],
  ReplicaSet: [
    name,
    { name: 'Desired', type: 'integer', priority: 0, cell: (o) => spec(o).replicas ?? 0 },
    { name: 'Current', type: 'integer', priority: 0, cell: (o) => status(o).replicas ?? 0 },
    { name: 'Ready', type: 'integer', priority: 0, cell: (o) => status(o).readyReplicas ?? 0 },
    ageColumn,
    ...workloadWide,
  ],
  Service: [
    name,
    { name: 'Type', type: 'string', priority: 0, cell: (o) => spec(o).type ?? 'ClusterIP' },
    { name: 'Cluster-IP', type: 'string', priority: 0, cell: (o) => spec(o).clusterIP ?? '<none>' },
    { name: 'External-IP', type: 'string', priority: 0, cell: () => '<none>' },
    { name: 'Port(s)', type: 'string', priority: 0, cell: servicePorts },
    ageColumn,
    {
      name: 'Selector',
      type: 'string',
      priority: 1,
      cell: (o) => formatSelector(spec(o).selector ? { matchLabels: spec(o).selector } : undefined),
    },
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
    { name: 'Internal-IP', type: 'string', priority: 1, cell: (o) => nodeAddress(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, cell: (o) => nodeAddress(o, 'ExternalIP') },
    {
      name: 'OS-Image',
      type: 'string',
      priority: 1,
      cell: (o) => status(o).nodeInfo?.osImage ?? '<unknown>',
    },
    {
      name: 'Kernel-Version',
      type: 'string',
      priority: 1,
      cell: (o) => status(o).nodeInfo?.kernelVersion ?? '<unknown>',
    },
    {
      name: 'Container-Runtime',
      type: 'string',
      priority: 1,
      cell: (o) => status(o).nodeInfo?.containerRuntimeVersion ?? '<unknown>',
    },
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
    {
      name: 'Subobject',
      type: 'string',
      priority: 1,
      cell: (o) => String(((o.involvedObject ?? {}) as Loose).fieldPath ?? ''),
    },
    {
      name: 'Source',
      type: 'string',
      priority: 1,
      cell: (o) => {
        const source = (o.source ?? {}) as Loose;
        return [source.component, source.host].filter(Boolean).join(', ');
      },
    },
    { name: 'Message', type: 'string', priority: 0, cell: (o) => String(o.message ?? '') },
    {
      name: 'First Seen',
      type: 'string',
      priority: 1,
      cell: (o, now) => age(String(o.firstTimestamp ?? o.metadata.creationTimestamp), now),
    },
    { name: 'Count', type: 'string', priority: 1, cell: (o) => String(o.count ?? 1) },
    { name: 'Name', type: 'string', priority: 1, cell: (o) => o.metadata.name ?? '' },
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
