import type { PodEventInput } from '../events/eventRecorder.js';
import type { IpAllocator } from './ipAllocator.js';
import type { PodRuntime } from './podStatus.js';
import { rfc3339 } from './rfc3339.js';
import type { Scheduler } from './scheduler.js';

export interface PlacementDeps {
  readonly scheduler: Scheduler;
  readonly allocator: IpAllocator;
  readonly now: () => number;
}

/** The pod being placed, for event messages. */
export interface PlacedPod {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Binds the pod to a node (the one it names, or the scheduler's round-robin pick) and gives it an IP.
 * Returns the Events to record, and whether it could be placed (unschedulable when not).
 */
export function placePod(
  rt: PodRuntime,
  deps: PlacementDeps,
  pod: PlacedPod,
  nodeName?: string,
): { placed: boolean; events: PodEventInput[] } {
  const placement = nodeName ? deps.scheduler.placementOf(nodeName) : deps.scheduler.place();
  if (!placement) {
    const message = deps.scheduler.unschedulableMessage('node(s) were unschedulable');
    return { placed: false, events: unschedulePod(rt, deps, message) };
  }
  const wasPending = rt.unschedulable !== undefined;
  const firstStart = rt.startTime === undefined;
  Object.assign(rt, { unschedulable: undefined, nodeName: placement.nodeName, hostIP: placement.hostIP });
  rt.phase = 'Running';
  rt.podIP ??= deps.allocator.allocate();
  rt.startTime ??= rfc3339(deps.now());
  const events: PodEventInput[] = [];
  if (wasPending || (firstStart && !nodeName)) {
    const message = `Successfully assigned ${pod.namespace}/${pod.name} to ${placement.nodeName}`;
    events.push({ type: 'Normal', reason: 'Scheduled', message, component: 'default-scheduler' });
  }
  if (firstStart || wasPending) events.push(...containersStarted(rt));
  return { placed: true, events };
}

/** What kubelet reports as it starts each container: the image is there, created, started. */
function containersStarted(rt: PodRuntime): PodEventInput[] {
  return rt.containers.flatMap(({ spec }) => {
    const fieldPath = `spec.containers{${spec.name}}`;
    const event = (reason: string, message: string): PodEventInput => ({
      type: 'Normal',
      reason,
      message,
      component: 'kubelet',
      fieldPath,
    });
    return [
      event('Pulled', `Container image "${spec.image}" already present on machine`),
      event('Created', `Created container: ${spec.name}`),
      event('Started', `Started container ${spec.name}`),
    ];
  });
}

/** What kubelet reports as it stops each container of a pod being killed or deleted. */
export function containersStopped(containers: readonly { name: string }[]): PodEventInput[] {
  return containers.map(({ name }) => ({
    type: 'Normal',
    reason: 'Killing',
    message: `Stopping container ${name}`,
    component: 'kubelet',
    fieldPath: `spec.containers{${name}}`,
  }));
}

/** Takes the pod off its node: Pending, no IP, PodScheduled False. Returns the FailedScheduling Event. */
export function unschedulePod(rt: PodRuntime, deps: PlacementDeps, message: string): PodEventInput[] {
  if (rt.podIP) deps.allocator.release(rt.podIP);
  Object.assign(rt, { nodeName: undefined, hostIP: undefined, podIP: undefined, startTime: undefined });
  rt.phase = 'Pending';
  rt.unschedulable = message;
  for (const c of rt.containers) c.ready = false;
  return [{ type: 'Warning', reason: 'FailedScheduling', message, component: 'default-scheduler' }];
}
