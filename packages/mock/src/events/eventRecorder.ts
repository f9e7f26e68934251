import { rfc3339 } from '../pods/rfc3339.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';

/** One occurrence of something worth an Event, as a component reports it. */
export interface EventInput {
  readonly type: 'Normal' | 'Warning';
  /** `Scheduled`, `Started`, `ScalingReplicaSet`, ... */
  readonly reason: string;
  readonly message: string;
  /** The reporting component: `kubelet`, `default-scheduler`, `deployment-controller`, ... */
  readonly component: string;
  /** e.g. `spec.containers{web}` */
  readonly fieldPath?: string;
}

/** Kept for the kubelet's callers, whose events are always about pods. */
export type PodEventInput = EventInput;

export interface EventRecorderOptions {
  store: ObjectStore;
  logger: Logger;
  now: () => number;
}

const CORE_EVENTS = () => resourceByPath('v1', 'events')!;
const EVENTS_V1 = () => resourceByPath('events.k8s.io/v1', 'events')!;

/** `2026-12-02T16:17:27.123456Z`: the MicroTime of events.k8s.io/v1. */
const microTime = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}000Z`;

/**
 * Writes Events about objects as kubelet, the scheduler and the controllers do: a core/v1 Event and
 * the same Event as events.k8s.io/v1 (one name, both APIs). A repeat of the same reason and message
 * about the same object bumps `count` / `series.count` and the last-seen time of the existing Event
 * instead of creating another one, as client-go's event correlator aggregates.
 */
export class EventRecorder {
  readonly #options: EventRecorderOptions;
  readonly #events = new Map<string, string>();
  #sequence = 0;

  constructor(options: EventRecorderOptions) {
    this.#options = options;
  }

  record(involved: KubeObject, input: EventInput): void {
    const { store, now: clock } = this.#options;
    const namespace = involved.metadata.namespace ?? 'default';
    const objectName = involved.metadata.name ?? '';
    const key = [namespace, involved.metadata.uid, input.fieldPath, input.reason, input.message].join('\0');
    const nowMs = clock();
    const now = rfc3339(nowMs);
    try {
      const existingName = this.#events.get(key);
      const existing = existingName ? store.get(CORE_EVENTS(), namespace, existingName) : undefined;
      if (existing && existingName) {
        const next = structuredClone(existing) as KubeObject & { count?: number };
        next.count = (next.count ?? 1) + 1;
        next.lastTimestamp = now;
        next.metadata.resourceVersion = '';
        store.update(CORE_EVENTS(), next);
        this.#mirror(existingName, namespace, (event) => ({
          ...event,
          series: { count: next.count, lastObservedTime: microTime(nowMs) },
          deprecatedCount: next.count,
          deprecatedLastTimestamp: now,
          metadata: { ...event.metadata, resourceVersion: '' },
        }));
        return;
      }
      this.#sequence += 1;
      const name = `${objectName}.${(nowMs * 1000 + this.#sequence).toString(16)}`;
      const reference: Record<string, unknown> = {
        kind: involved.kind,
        namespace,
        name: objectName,
        uid: involved.metadata.uid,
        apiVersion: involved.apiVersion,
        resourceVersion: involved.metadata.resourceVersion,
      };
      if (input.fieldPath) reference.fieldPath = input.fieldPath;
      const host = (involved.spec as { nodeName?: string } | undefined)?.nodeName;
      const onHost = input.component === 'kubelet' && host !== undefined;
      const source = onHost ? { component: input.component, host } : { component: input.component };
      const instance = onHost ? host : `${input.component}-kubesmart-mock`;
      store.create(CORE_EVENTS(), {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: reference,
        reason: input.reason,
        message: input.message,
        type: input.type,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        eventTime: null,
        source,
        reportingComponent: input.component,
        reportingInstance: instance,
      });
      store.create(EVENTS_V1(), {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: { name, namespace },
        eventTime: microTime(nowMs),
        reportingController: input.component,
        reportingInstance: instance,
        action: input.reason,
        reason: input.reason,
        regarding: reference,
        note: input.message,
        type: input.type,
        deprecatedSource: source,
        deprecatedFirstTimestamp: now,
        deprecatedLastTimestamp: now,
        deprecatedCount: 1,
      });
      this.#events.set(key, name);
    } catch (err) {
      this.#options.logger.warn(
        { err, object: objectName, namespace, reason: input.reason },
        'could not record event',
      );
    }
  }

  /** Forgets the aggregation keys of a deleted object (its Events stay in the store, as in a cluster). */
  forget(uid: string | undefined): void {
    for (const key of this.#events.keys()) {
      if (key.split('\0')[1] === uid) this.#events.delete(key);
    }
  }

  #mirror(name: string, namespace: string, change: (event: KubeObject) => KubeObject): void {
    const event = this.#options.store.get(EVENTS_V1(), namespace, name);
    if (event) this.#options.store.update(EVENTS_V1(), change(structuredClone(event) as KubeObject));
  }
}
