import type { EventRecorder, PodEventInput } from '../events/eventRecorder.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { ownedByReplicaSet } from './podSpec.js';
import { buildPodStatus, type PodRuntime } from './podStatus.js';
import { rfc3339 } from './rfc3339.js';

export interface PodWriterOptions {
  readonly store: ObjectStore;
  readonly events: EventRecorder;
  readonly logger: Logger;
  readonly now: () => number;
  /** Runs a write of the pod `namespace/name` that the fleet must not react to. */
  readonly ownWrite: (key: string, write: () => void) => void;
}

/** The store side of one pod's kubelet: reads the pod, writes its status and records its Events. */
export class PodWriter {
  readonly #options: PodWriterOptions;
  readonly #namespace: string;
  readonly #name: string;
  readonly #uid: string;

  constructor(options: PodWriterOptions, pod: { namespace: string; name: string; uid: string }) {
    this.#options = options;
    this.#namespace = pod.namespace;
    this.#name = pod.name;
    this.#uid = pod.uid;
  }

  /** The stored pod, if it is still this pod (same uid). */
  current(): KubeObject | undefined {
    const pod = this.#options.store.get(resourceByPath('v1', 'pods')!, this.#namespace, this.#name);
    return pod && pod.metadata.uid === this.#uid ? pod : undefined;
  }

  record(events: readonly PodEventInput[]): void {
    const pod = this.current();
    if (pod) for (const event of events) this.#options.events.record(pod, event);
  }

  /** Writes `spec.nodeName` and `status` from the runtime when they differ from the stored pod. */
  write(runtime: PodRuntime): void {
    const current = this.current();
    if (!current) return;
    const status = buildPodStatus(this.#uid, runtime, current.status, rfc3339(this.#options.now()));
    const nodeName = (current.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (JSON.stringify(status) === JSON.stringify(current.status) && nodeName === runtime.nodeName) return;
    const next = structuredClone(current) as KubeObject & { spec?: Record<string, unknown> };
    const spec = { ...next.spec };
    if (runtime.nodeName) spec.nodeName = runtime.nodeName;
    else delete spec.nodeName;
    next.spec = spec;
    next.status = status;
    this.#options.ownWrite(`${this.#namespace}/${this.#name}`, () =>
      this.#options.store.update(resourceByPath('v1', 'pods')!, next),
    );
  }

  /** Deletes the pod when a ReplicaSet owns it, so that its controller replaces it. */
  deleteIfOwnedByReplicaSet(): void {
    const pod = this.current();
    if (!pod || !ownedByReplicaSet(pod)) return;
    try {
      this.#options.store.delete(resourceByPath('v1', 'pods')!, this.#namespace, this.#name);
    } catch (err) {
      this.#options.logger.warn(
        { err, pod: this.#name, namespace: this.#namespace },
        'could not delete killed pod',
      );
    }
  }
}
