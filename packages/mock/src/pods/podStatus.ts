import { createHash } from 'node:crypto';
import type { ContainerSpec } from './podSpec.js';

export interface TerminatedState {
  readonly exitCode: number;
  readonly reason: string;
  readonly message?: string;
  readonly startedAt: string;
  readonly finishedAt: string;
}

export type ContainerPhase =
  | { readonly kind: 'running'; readonly startedAt: string }
  | { readonly kind: 'waiting'; readonly reason: string; readonly message: string }
  | ({ readonly kind: 'terminated' } & TerminatedState);

/** What the emulated kubelet knows about one container. */
export interface ContainerRuntime {
  readonly spec: ContainerSpec;
  current: ContainerPhase;
  last: TerminatedState | undefined;
  restartCount: number;
  ready: boolean;
}

/** What the emulated kubelet and scheduler know about one pod: the source of its `status`. */
export interface PodRuntime {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  nodeName: string | undefined;
  hostIP: string | undefined;
  podIP: string | undefined;
  startTime: string | undefined;
  /** Set while the scheduler cannot place the pod: the FailedScheduling message. */
  unschedulable: string | undefined;
  /** Pod-level reason and message, e.g. for a pod whose servers could not bind. */
  reason: string | undefined;
  message: string | undefined;
  containers: ContainerRuntime[];
}

type Json = Record<string, unknown>;

const hash = (...parts: (string | number)[]): string =>
  createHash('sha256').update(parts.join('/')).digest('hex');

function containerStatus(uid: string, c: ContainerRuntime): Json {
  const containerID = `containerd://${hash(uid, c.spec.name, c.restartCount)}`;
  const terminated = (t: TerminatedState): Json => ({ ...t, containerID });
  let state: Json;
  if (c.current.kind === 'running') state = { running: { startedAt: c.current.startedAt } };
  else if (c.current.kind === 'waiting')
    state = { waiting: { reason: c.current.reason, message: c.current.message } };
  else {
    const { kind: _kind, ...rest } = c.current;
    state = { terminated: terminated(rest) };
  }
  const status: Json = {
    name: c.spec.name,
    image: c.spec.image,
    imageID: `${c.spec.image.split(':')[0] ?? c.spec.image}@sha256:${hash(c.spec.image)}`,
    ready: c.ready,
    started: c.current.kind === 'running',
    restartCount: c.restartCount,
    state,
    lastState: c.last ? { terminated: terminated(c.last) } : {},
  };
  if (c.current.kind !== 'waiting') status.containerID = containerID;
  return status;
}

function condition(
  type: string,
  ok: boolean,
  now: string,
  previous: Json[],
  reason?: string,
  message?: string,
): Json {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  const lastTransitionTime = before?.status === status ? (before.lastTransitionTime ?? now) : now;
  const out: Json = { type, status, lastProbeTime: null, lastTransitionTime };
  if (reason) out.reason = reason;
  if (message) out.message = message;
  return out;
}

/**
 * A pod `status` as kubelet and scheduler would write it. Conditions keep their
 * `lastTransitionTime` from `previous` when their status did not change.
 */
export function buildPodStatus(uid: string, pod: PodRuntime, previous: unknown, now: string): Json {
  const prevConditions = ((previous as { conditions?: Json[] } | undefined)?.conditions ?? []).filter(
    (c): c is Json => c !== null && typeof c === 'object',
  );
  const status: Json = { phase: pod.phase, qosClass: 'BestEffort' };
  if (pod.unschedulable !== undefined) {
    status.conditions = [
      condition('PodScheduled', false, now, prevConditions, 'Unschedulable', pod.unschedulable),
    ];
    return status;
  }
  const unready = pod.containers.filter((c) => !c.ready).map((c) => c.spec.name);
  const ready = pod.phase === 'Running' && unready.length === 0;
  const finished = pod.phase === 'Failed' || pod.phase === 'Succeeded';
  const why =
    pod.phase === 'Failed' ? 'PodFailed' : pod.phase === 'Succeeded' ? 'PodCompleted' : 'ContainersNotReady';
  const message = finished ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  status.conditions = [
    condition('PodReadyToStartContainers', pod.podIP !== undefined, now, prevConditions),
    condition('Initialized', true, now, prevConditions),
    condition('Ready', ready, now, prevConditions, ready ? undefined : why, ready ? undefined : message),
    condition(
      'ContainersReady',
      ready,
      now,
      prevConditions,
      ready ? undefined : why,
      ready ? undefined : message,
    ),
    condition('PodScheduled', true, now, prevConditions),
  ];
  if (pod.reason) status.reason = pod.reason;
  if (pod.message) status.message = pod.message;
  if (pod.hostIP) {
    status.hostIP = pod.hostIP;
    status.hostIPs = [{ ip: pod.hostIP }];
  }
  if (pod.podIP) {
    status.podIP = pod.podIP;
    status.podIPs = [{ ip: pod.podIP }];
  }
  if (pod.startTime) status.startTime = pod.startTime;
  status.containerStatuses = pod.containers.map((c) => containerStatus(uid, c));
  return status;
}

/** A pod the kubelet has just seen: Pending, no node, every container about to run. */
export function initialRuntime(containers: readonly ContainerSpec[], now: string): PodRuntime {
  return {
    phase: 'Pending',
    nodeName: undefined,
    hostIP: undefined,
    podIP: undefined,
    startTime: undefined,
    unschedulable: undefined,
    reason: undefined,
    message: undefined,
    containers: containers.map((spec) => ({
      spec,
      current: { kind: 'running', startedAt: now },
      last: undefined,
      restartCount: 0,
      ready: false,
    })),
  };
}
