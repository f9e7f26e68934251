import type { EventRecorder } from '../events/eventRecorder.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { Logger } from '../types.js';
import { keyOf, splitKey, WorkQueue } from './workQueue.js';

const CLAIMS = resourceByPath('v1', 'persistentvolumeclaims')!;
const VOLUMES = resourceByPath('v1', 'persistentvolumes')!;

interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: { storage?: string } };
  storageClassName?: string;
  volumeMode?: string;
  volumeName?: string;
}

/**
 * Binds every PersistentVolumeClaim at once to a PersistentVolume made for it (`pvc-<uid>`, the
 * requested size and access modes, reclaim policy Delete), as a dynamic provisioner would: the claim
 * gets `spec.volumeName` and `status.phase: Bound`; deleting the claim deletes its volume.
 */
export class VolumeBinder {
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly events: EventRecorder,
    logger: Logger,
  ) {
    this.#queue = new WorkQueue('persistentvolumeclaims', (key) => this.#reconcile(key), logger);
    this.#unsubscribe = store.onChange((event) => this.#onChange(event));
    for (const claim of store.list(CLAIMS))
      this.#queue.enqueue(keyOf(claim.metadata.namespace, claim.metadata.name));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onChange({ type, resource, object }: StoreEvent): void {
    if (resource !== CLAIMS) return;
    if (type === 'DELETED') {
      const volume = `pvc-${object.metadata.uid}`;
      if (this.store.get(VOLUMES, undefined, volume)) this.store.delete(VOLUMES, undefined, volume);
      return;
    }
    this.#queue.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
  }

  #reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const claim = this.store.get(CLAIMS, namespace, name);
    if (!claim || (claim.status as { phase?: string } | undefined)?.phase === 'Bound') return;
    const spec = (claim.spec ?? {}) as ClaimSpec;
    const volumeName = spec.volumeName || `pvc-${claim.metadata.uid}`;
    const capacity = { storage: spec.resources?.requests?.storage ?? '1Gi' };
    const accessModes = spec.accessModes ?? ['ReadWriteOnce'];
    if (!this.store.get(VOLUMES, undefined, volumeName)) {
      this.store.create(VOLUMES, {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: {
          name: volumeName,
          annotations: { 'pv.kubernetes.io/provisioned-by': 'kubesmart-mock' },
          finalizers: ['kubernetes.io/pv-protection'],
        },
        spec: {
          capacity,
          accessModes,
          persistentVolumeReclaimPolicy: 'Delete',
          storageClassName: spec.storageClassName ?? 'standard',
          volumeMode: spec.volumeMode ?? 'Filesystem',
          hostPath: { path: `/var/lib/kubesmart-mock/volumes/${volumeName}`, type: '' },
          claimRef: {
            apiVersion: 'v1',
            kind: 'PersistentVolumeClaim',
            namespace,
            name,
            uid: claim.metadata.uid,
            resourceVersion: claim.metadata.resourceVersion,
          },
        },
        status: { phase: 'Bound' },
      });
    }
    this.store.update(CLAIMS, {
      ...claim,
      metadata: {
        ...claim.metadata,
        annotations: {
          ...(claim.metadata.annotations ?? {}),
          'pv.kubernetes.io/bind-completed': 'yes',
          'pv.kubernetes.io/bound-by-controller': 'yes',
        },
        resourceVersion: '',
      },
      spec: { ...spec, volumeName },
      status: { phase: 'Bound', accessModes, capacity },
    });
    this.events.record(claim, {
      type: 'Normal',
      reason: 'ProvisioningSucceeded',
      message: `Successfully provisioned volume ${volumeName}`,
      component: 'persistentvolume-controller',
    });
  }
}
