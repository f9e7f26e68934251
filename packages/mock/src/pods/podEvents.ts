import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { rfc3339 } from './rfc3339.js';

export interface PodEventInput {
  readonly type: 'Normal' | 'Warning';
  readonly reason: string;
  readonly message: string;
  readonly component: 'kubelet' | 'default-scheduler';
  /** e.g. `spec.containers{web}` */
  readonly fieldPath?: string;
}

export interface EventRecorderOptions {
  store: ObjectStore;
  logger: Logger;
  now: () => number;
}

/**
 * Writes core/v1 Events about pods, as kubelet and the scheduler do. A repeat of the same reason and
 * message for the same pod bumps `count` and `lastTimestamp` of the existing Event instead of
 * creating another one.
 */
export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #events = new Map<string, string>();
  #sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
  }

  record(pod: KubeObject, input: PodEventInput): void {
    const rt = resourceByPath('v1', 'events')!;
    const namespace = pod.metadata.namespace ?? 'default';
    const podName = pod.metadata.name ?? '';
    const key = [namespace, pod.metadata.uid, input.fieldPath, input.reason, input.message].join('\0');
    const now = rfc3339(this.#options.now());
    try {
      const existingName = this.#events.get(key);
      const existing = existingName ? this.#options.store.get(rt, namespace, existingName) : undefined;
      if (existing) {
        const next = structuredClone(existing) as KubeObject & { count?: number };
        next.count = (next.count ?? 1) + 1;
        next.lastTimestamp = now;
        this.#options.store.update(rt, next);
        return;
      }
      this.#sequence += 1;
      const name = `${podName}.${(this.#options.now() * 1000 + this.#sequence).toString(16)}`;
      const involvedObject: Record<string, unknown> = {
        kind: 'Pod',
        namespace,
        name: podName,
        uid: pod.metadata.uid,
        apiVersion: 'v1',
        resourceVersion: pod.metadata.resourceVersion,
      };
      if (input.fieldPath) involvedObject.fieldPath = input.fieldPath;
      const host = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      this.#options.store.create(rt, {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject,
        reason: input.reason,
        message: input.message,
        type: input.type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        eventTime: null,
        source:
          host && input.component === 'kubelet'
            ? { component: input.component, host }
            : { component: input.component },
        reportingComponent: input.component,
        reportingInstance: input.component === 'kubelet' && host ? host : '',
      });
      this.#events.set(key, name);
    } catch (err) {
      this.#options.logger.warn(
        { err, pod: podName, namespace, reason: input.reason },
        'could not record pod event',
      );
    }
  }

  /** Forgets the aggregation keys of a deleted pod (its Events stay in the store, as in a cluster). */
  forget(uid: string | undefined): void {
    for (const key of this.#events.keys()) {
      if (key.split('\0')[1] === uid) this.#events.delete(key);
    }
  }
}
