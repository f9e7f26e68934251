import type { ObjectStore } from '../store/objectStore.js';
import { RESOURCE_TYPES } from '../store/resources.js';
import type { Logger } from '../types.js';
import { WorkQueue } from './workQueue.js';

/**
 * Deletes dependents whose owner is gone (background cascading deletion): a deleted Deployment takes
 * its ReplicaSets, they take their Pods, a deleted Service takes its EndpointSlices.
 */
export class GarbageCollector {
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    logger: Logger,
  ) {
    this.#queue = new WorkQueue('garbage-collector', (uid) => this.#collect(uid), logger);
    this.#unsubscribe = store.onChange((event) => {
      if (event.type === 'DELETED' && event.object.metadata.uid)
        this.#queue.enqueue(event.object.metadata.uid);
    });
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #collect(ownerUid: string): void {
    for (const rt of RESOURCE_TYPES) {
      if (rt.virtual) continue;
      for (const obj of this.store.list(rt)) {
        if (obj.metadata.ownerReferences?.some((ref) => ref.uid === ownerUid)) {
          this.store.delete(rt, obj.metadata.namespace, obj.metadata.name ?? '');
        }
      }
    }
  }
}
