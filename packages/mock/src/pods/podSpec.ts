import type { KubeObject } from '../types.js';

/** A probe's timing fields as the pod spec gives them (kubelet's defaults apply where absent). */
export interface ProbeTiming {
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

/** A readiness probe as the emulated kubelet runs it; exec probes always pass. */
export type ReadinessProbe = ProbeTiming &
  (
    | { readonly kind: 'http'; readonly path: string; readonly port: number | string }
    | { readonly kind: 'tcp'; readonly port: number | string }
    | { readonly kind: 'exec' }
  );

export interface ContainerPortSpec {
  readonly name: string | undefined;
  readonly port: number;
}

/** The parts of a pod's container the emulated kubelet cares about. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  /** Declared TCP ports (UDP and SCTP ports get no server). */
  readonly ports: readonly ContainerPortSpec[];
  readonly readinessProbe: ReadinessProbe | undefined;
  /** `command` then `args`: what the container runs (empty: the image's own server). */
  readonly argv: readonly string[];
  /** `stdin: true`: the process reads what the first attached client sends. */
  readonly stdin: boolean;
}

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;

const asPort = (value: unknown): number | string | undefined =>
  typeof value === 'number' || (typeof value === 'string' && value !== '') ? value : undefined;

const positive = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;

function timingOf(probe: Json): ProbeTiming {
  const timing: Record<string, number> = {};
  for (const field of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'] as const) {
    const value = positive(probe[field]);
    if (value !== undefined) timing[field] = value;
  }
  return timing;
}

function readinessProbeOf(container: Json): ReadinessProbe | undefined {
  const probe = asObject(container.readinessProbe);
  if (!probe) return undefined;
  const timing = timingOf(probe);
  const httpGet = asObject(probe.httpGet);
  const httpPort = asPort(httpGet?.port);
  if (httpGet && httpPort !== undefined) {
    const path = typeof httpGet.path === 'string' && httpGet.path !== '' ? httpGet.path : '/';
    return { kind: 'http', path: path.startsWith('/') ? path : `/${path}`, port: httpPort, ...timing };
  }
  const tcpPort = asPort(asObject(probe.tcpSocket)?.port ?? asObject(probe.grpc)?.port);
  if (tcpPort !== undefined) return { kind: 'tcp', port: tcpPort, ...timing };
  return { kind: 'exec', ...timing };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

/** The containers of a pod spec, tolerant of missing fields. */
export function containersOf(pod: KubeObject): ContainerSpec[] {
  const spec = asObject(pod.spec);
  const list = Array.isArray(spec?.containers) ? spec.containers : [];
  return list.flatMap((raw, index): ContainerSpec[] => {
    const container = asObject(raw);
    if (!container) return [];
    const ports = (Array.isArray(container.ports) ? container.ports : []).flatMap(
      (p): ContainerPortSpec[] => {
        const port = asObject(p);
        const number = port?.containerPort;
        const protocol = port?.protocol ?? 'TCP';
        if (typeof number !== 'number' || !Number.isInteger(number) || number < 1 || number > 65535)
          return [];
        if (protocol !== 'TCP') return [];
        return [{ name: typeof port?.name === 'string' ? port.name : undefined, port: number }];
      },
    );
    return [
      {
        name: typeof container.name === 'string' ? container.name : `container-${index}`,
        image: typeof container.image === 'string' ? container.image : '',
        ports,
        readinessProbe: readinessProbeOf(container),
        argv: [...strings(container.command), ...strings(container.args)],
        stdin: container.stdin === true,
      },
    ];
  });
}

/** A probe's port, numeric or named, as a number; named ports are looked up across all containers. */
export function resolvePort(containers: readonly ContainerSpec[], port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  for (const container of containers) {
    const found = container.ports.find((p) => p.name === port);
    if (found) return found.port;
  }
  return undefined;
}

/** Every declared TCP port of the pod, without duplicates. */
export function podPorts(containers: readonly ContainerSpec[]): number[] {
  return [...new Set(containers.flatMap((c) => c.ports.map((p) => p.port)))];
}

/** True when an owner reference says a ReplicaSet controls this pod. */
export function ownedByReplicaSet(pod: KubeObject): boolean {
  return (pod.metadata.ownerReferences ?? []).some((ref) => ref.kind === 'ReplicaSet');
}
