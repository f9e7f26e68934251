import { createEndpoint } from '../createEndpoint.js';
import type { Endpoint } from '../types.js';
import type { Pod } from './kubeShapes.js';
import type { PortChoice } from './servicePort.js';

/** The pod's port for the choice: the Service port's target (a number, or a container port name). */
function podPort(pod: Pod, choice: PortChoice): number | undefined {
  if (choice.targetPort !== undefined) return choice.targetPort;
  const target = choice.servicePort?.targetPort ?? choice.servicePort?.port;
  if (typeof target === 'number') return target;
  if (target !== undefined && /^\d+$/.test(target)) return Number(target);
  for (const container of pod.spec?.containers ?? []) {
    const found = container.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

function isReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Endpoints from pods found by label (kubeSmartService's way): running, Ready, not
 * terminating pods with an IP, at the Service port's target port.
 */
export function endpointsFromPods(pods: readonly Pod[], choice: PortChoice): Endpoint[] {
  const result: Endpoint[] = [];
  for (const pod of pods) {
    const host = pod.status?.podIP;
    if (!host || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running' || !isReady(pod))
      continue;
    const port = podPort(pod, choice);
    if (port === undefined) continue;
    result.push(
      createEndpoint({
        host,
        port,
        pod: pod.metadata?.name,
        namespace: pod.metadata?.namespace,
        node: pod.spec?.nodeName,
      }),
    );
  }
  return result;
}
