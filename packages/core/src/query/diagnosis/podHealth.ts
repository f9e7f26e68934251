import type { KubeObject } from '../../cluster/kubeObject.js';
import { asPod, conditionOf, type PodJson } from '../resources/podShapes.js';

/** Container and pod reasons that mean the pod does not work. */
export const BROKEN_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'StartError',
  'OOMKilled',
  'Error',
  'ContainerStatusUnknown',
  'Evicted',
  'Unschedulable',
  'Failed',
]);

export interface HealthWindows {
  /** Wall-clock now, ms since the epoch. */
  readonly now: number;
  readonly pendingTooLongMs: number;
  readonly notReadyTooLongMs: number;
  readonly recentFailureMs: number;
}

const since = (now: number, text: string | undefined): number | undefined => {
  const at = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(at) ? undefined : now - at;
};

/**
 * A pod's state in one word, as kubectl's STATUS column: Terminating, the pod's reason (Evicted),
 * Unschedulable, a container's waiting or terminated reason (CrashLoopBackOff, ImagePullBackOff,
 * OOMKilled, `ExitCode:N`), else the phase.
 */
export function podDisplayStatus(object: KubeObject): string {
  const pod = asPod(object);
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  if (pod.status?.reason) return pod.status.reason;
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') return 'Unschedulable';
  let reason: string | undefined;
  for (const c of pod.status?.containerStatuses ?? []) {
    const waiting = c.state?.waiting?.reason;
    const terminated = c.state?.terminated;
    if (waiting && waiting !== 'ContainerCreating' && waiting !== 'PodInitializing') reason = waiting;
    else if (terminated) {
      reason ??=
        terminated.reason ||
        (terminated.signal ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? '?'}`);
    } else if (waiting) reason ??= waiting;
  }
  return reason ?? pod.status?.phase ?? 'Unknown';
}

/** Restarts of every container. */
export function podRestarts(object: KubeObject): number {
  return (asPod(object).status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** The reason a pod counts as broken, or undefined when it does not. */
export function brokenReason(object: KubeObject, windows: HealthWindows): string | undefined {
  const pod: PodJson = asPod(object);
  const phase = pod.status?.phase;
  if (phase === 'Succeeded') return undefined;
  const status = podDisplayStatus(pod);
  if (BROKEN_REASONS.has(status) || status.startsWith('ExitCode:') || status.startsWith('Signal:'))
    return status;
  if (phase === 'Failed') return 'Failed';
  for (const c of pod.status?.containerStatuses ?? []) {
    const last = c.lastState?.terminated;
    if (last?.reason === 'OOMKilled' && (since(windows.now, last.finishedAt) ?? 0) <= windows.recentFailureMs)
      return 'OOMKilled';
  }
  if (
    phase === 'Pending' &&
    (since(windows.now, pod.metadata?.creationTimestamp as string | undefined) ?? 0) >
      windows.pendingTooLongMs
  ) {
    return 'PendingTooLong';
  }
  const ready = conditionOf(pod, 'Ready');
  if (
    phase === 'Running' &&
    ready?.status === 'False' &&
    (since(windows.now, ready.lastTransitionTime) ?? 0) > windows.notReadyTooLongMs
  ) {
    return 'NotReady';
  }
  return undefined;
}
