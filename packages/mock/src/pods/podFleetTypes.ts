import type { ObjectStore } from '../store/objectStore.js';
import type { Logger } from '../types.js';

export interface PodFleetOptions {
  store: ObjectStore;
  /** @default a no-op logger */
  logger?: Logger;
  /** How often each pod's readiness probe runs, in ms; probes time out after 1000 ms whatever the period. @default 1000 */
  probeIntervalMs?: number;
  /**
   * `'fast'`: every readiness probe runs each `probeIntervalMs` and one failure makes the container
   * NotReady. `'kubelet'`: each probe runs as kubelet runs it, by its own `periodSeconds` (default
   * 10), `timeoutSeconds` (1), `failureThreshold` (3) and `successThreshold` (1); a killed pod then
   * stays Ready until its probe has failed `failureThreshold` times, as a pod whose node stopped
   * answering does. @default 'fast'
   */
  probeTiming?: 'fast' | 'kubelet';
  /** Clock for timestamps of status, Events and log lines. @default Date.now */
  now?: () => number;
  /** Randomness for pod IP draws. @default Math.random */
  random?: () => number;
  /** Pod IPs tried when binding finds the address in use, before the pod is marked Failed. @default 5 */
  bindAttempts?: number;
  /** Log lines kept per container. @default 10000 */
  maxLogLines?: number;
}

/** Which namespace a pod is looked up in. */
export interface PodOptions {
  /** @default 'default' */
  namespace?: string;
}

export interface AppendLogOptions extends PodOptions {
  /** @default the pod's first container */
  container?: string;
}

export interface ContainerStateOptions extends PodOptions {
  /** @default the pod's first container */
  container?: string;
}

export interface LogsOptions {
  /** @default the pod's first container */
  container?: string;
  /** Only the last N lines. @default all */
  tailLines?: number;
  /** Only lines appended in the last N seconds. @default all */
  sinceSeconds?: number;
  /** Prefix each line with its RFC 3339 timestamp (nanosecond precision). @default false */
  timestamps?: boolean;
}

/** Where a pod listens. */
export interface PodAddress {
  readonly ip: string;
  readonly port: number;
  /** `ip:port` */
  readonly host: string;
  /** `http://ip:port` */
  readonly url: string;
}

/** A control call named a pod that does not exist (yet, or any more) in that namespace. */
export class PodNotFoundError extends Error {
  readonly code = 'POD_NOT_FOUND';
  readonly pod: string;
  readonly namespace: string;

  constructor(pod: string, namespace: string) {
    super(
      `pod "${pod}" not found in namespace "${namespace}": create it first, or pass { namespace } for another namespace`,
    );
    this.name = 'PodNotFoundError';
    this.pod = pod;
    this.namespace = namespace;
  }
}
