import type { PodEventInput } from '../events/eventRecorder.js';
import type { ContainerRuntime, PodRuntime } from './podStatus.js';

/** Container states `cluster.pods.setContainerState` can put a pod's container in. */
export type ContainerStateName =
  | 'Running'
  | 'CrashLoopBackOff'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'OOMKilled'
  | 'Unschedulable';

export const CONTAINER_STATES: readonly ContainerStateName[] = Object.freeze([
  'Running',
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'OOMKilled',
  'Unschedulable',
]);

interface Subject {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly now: string;
}

const fieldPath = (c: ContainerRuntime): string => `spec.containers{${c.spec.name}}`;

function startedAt(c: ContainerRuntime, fallback: string): string {
  return c.current.kind === 'running' || c.current.kind === 'terminated' ? c.current.startedAt : fallback;
}

/** The container exits and stays down: waiting in CrashLoopBackOff, one more restart counted. */
export function crashLoop(c: ContainerRuntime, pod: Subject, backoffSeconds: number): PodEventInput {
  c.last = { exitCode: 1, reason: 'Error', startedAt: startedAt(c, pod.now), finishedAt: pod.now };
  c.restartCount += 1;
  c.ready = false;
  const who = `container=${c.spec.name} pod=${pod.name}_${pod.namespace}(${pod.uid})`;
  c.current = {
    kind: 'waiting',
    reason: 'CrashLoopBackOff',
    message: `back-off ${backoffSeconds}s restarting failed ${who}`,
  };
  return {
    type: 'Warning',
    reason: 'BackOff',
    message: `Back-off restarting failed container ${c.spec.name} in pod ${pod.name}_${pod.namespace}(${pod.uid})`,
    component: 'kubelet',
    fieldPath: fieldPath(c),
  };
}

/** The image cannot be pulled: the pod goes back to Pending with the container waiting. */
export function imagePullFailure(
  runtime: PodRuntime,
  c: ContainerRuntime,
  reason: 'ImagePullBackOff' | 'ErrImagePull',
): PodEventInput[] {
  const image = c.spec.image || c.spec.name;
  const cause = `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": not found`;
  runtime.phase = 'Pending';
  c.ready = false;
  c.current = {
    kind: 'waiting',
    reason,
    message: reason === 'ErrImagePull' ? cause : `Back-off pulling image "${image}"`,
  };
  const path = fieldPath(c);
  return [
    {
      type: 'Warning',
      reason: 'Failed',
      message: `Failed to pull image "${image}": ${cause}`,
      component: 'kubelet',
      fieldPath: path,
    },
    { type: 'Warning', reason: 'Failed', message: `Error: ${reason}`, component: 'kubelet', fieldPath: path },
    {
      type: 'Normal',
      reason: 'BackOff',
      message: `Back-off pulling image "${image}"`,
      component: 'kubelet',
      fieldPath: path,
    },
  ];
}

/** The container was OOM-killed and restarted at once: running again, last state OOMKilled. */
export function oomKill(c: ContainerRuntime, pod: Subject): PodEventInput {
  c.last = { exitCode: 137, reason: 'OOMKilled', startedAt: startedAt(c, pod.now), finishedAt: pod.now };
  c.restartCount += 1;
  c.current = { kind: 'running', startedAt: pod.now };
  return {
    type: 'Warning',
    reason: 'OOMKilling',
    message: `Memory cgroup out of memory: killed container ${c.spec.name} of pod ${pod.namespace}/${pod.name} (exit code 137); restarted`,
    component: 'kubelet',
    fieldPath: fieldPath(c),
  };
}

/** The container was killed (SIGKILL) and not restarted: terminated with exit code 137. */
export function terminateKilled(c: ContainerRuntime, now: string): void {
  c.ready = false;
  c.current = {
    kind: 'terminated',
    exitCode: 137,
    reason: 'Error',
    startedAt: startedAt(c, now),
    finishedAt: now,
  };
}

/** Brings a container back to running; a container that had stopped counts one more restart. */
export function runAgain(c: ContainerRuntime, now: string): void {
  if (c.current.kind === 'running') return;
  if (c.current.kind === 'terminated') {
    const { kind: _kind, ...last } = c.current;
    c.last = last;
    c.restartCount += 1;
  }
  c.current = { kind: 'running', startedAt: now };
}

/**
 * Kubelet's restart back-off for a crash-looping container (10 s doubling to 300 s), with time scaled
 * so that 10 s of back-off is 10 probe intervals. `restart` runs once per round and returns false to stop.
 */
export class RestartBackoff {
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number) {
    this.#intervalMs = intervalMs;
  }

  /** The back-off, in kubelet seconds, announced after `round` restarts. */
  static seconds(round: number): number {
    return Math.min(10 * 2 ** round, 300);
  }

  start(restart: (round: number) => boolean, round = 1): void {
    this.clear();
    const delay = this.#intervalMs * RestartBackoff.seconds(round - 1);
    this.#timer = setTimeout(() => {
      if (restart(round)) this.start(restart, round + 1);
    }, delay);
    this.#timer.unref();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
