import type { KubeObject } from '../../cluster/kubeObject.js';

/** The parts of a Pod's JSON the query engine reads. */
export interface ContainerStateJson {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: {
    exitCode?: number;
    reason?: string;
    message?: string;
    startedAt?: string;
    finishedAt?: string;
    signal?: number;
  };
}

export interface ContainerStatusJson {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerStateJson;
  lastState?: ContainerStateJson;
}

export interface PodConditionJson {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ContainerSpecJson {
  name: string;
  image?: string;
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
  readinessProbe?: unknown;
  livenessProbe?: unknown;
  startupProbe?: unknown;
}

export interface PodJson extends KubeObject {
  spec?: {
    nodeName?: string;
    containers?: ContainerSpecJson[];
    restartPolicy?: string;
    nodeSelector?: Record<string, string>;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    hostIP?: string;
    startTime?: string;
    conditions?: PodConditionJson[];
    containerStatuses?: ContainerStatusJson[];
  };
}

export const asPod = (object: KubeObject): PodJson => object as PodJson;

export function conditionOf(pod: PodJson, type: string): PodConditionJson | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}
