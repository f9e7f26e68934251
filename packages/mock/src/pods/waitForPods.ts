import { setTimeout as sleep } from 'node:timers/promises';
import type { MockCluster } from '../cluster.js';
import type { KubeObject } from '../types.js';

export interface WaitForPodsOptions {
  /** How many pods must be in `state`, at least. */
  count: number;
  /** `'running'`: phase Running; `'ready'`: the Ready condition is True. @default 'ready' */
  state?: 'running' | 'ready';
  /** Only pods of this namespace. @default every namespace */
  namespace?: string;
  /** Only pods with these labels, like `app=web`. @default every pod */
  labelSelector?: string;
  /** Longest wait; a bound for a machine under load, not a timing promise. @default 30000 */
  timeoutMs?: number;
}

type PodStatus = { phase?: string; conditions?: { type: string; status: string }[] };

const inState = (pod: KubeObject, state: 'running' | 'ready'): boolean => {
  const status = pod.status as PodStatus | undefined;
  if (state === 'running') return status?.phase === 'Running';
  return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
};

/**
 * Waits until at least `count` pods of the emulated cluster are running (or ready), polling the
 * store; returns them. Throws, saying how many there were, when `timeoutMs` passes first.
 */
export async function waitForPods(cluster: MockCluster, options: WaitForPodsOptions): Promise<KubeObject[]> {
  const { count, state = 'ready', namespace, labelSelector, timeoutMs = 30_000 } = options;
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const pods = cluster
      .list('pods', namespace, labelSelector === undefined ? {} : { labelSelector })
      .filter((pod) => inState(pod, state));
    if (pods.length >= count) return pods;
    if (performance.now() > deadline) {
      throw new Error(
        `waited ${timeoutMs} ms for ${count} ${state} pods${namespace === undefined ? '' : ` in namespace ${namespace}`}${labelSelector ? ` (${labelSelector})` : ''}; ${pods.length} are`,
      );
    }
    await sleep(25);
  }
}
