import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, KubeApiError, notFound } from '../kubeApiError.js';
import type { KubeObject } from '../types.js';
import { type ResourceType, resourceByPath } from './resources.js';

/** A change recorded by the store; the unit of watch streams and of the compaction history. */
export interface StoreEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly revision: number;
  readonly resource: ResourceType;
  readonly object: KubeObject;
  /** The object before a MODIFIED change, so watchers with selectors can see it leave or enter. */
  readonly previous?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

export interface ObjectStoreOptions {
  /**
   * How many revisions of history the store keeps for watches; a watch that starts from an older
   * resourceVersion gets 410 Expired, as from a compacted etcd.
   * @default 5000
   */
  compactionWindow?: number;
  /** Source of creation timestamps. @default Date.now */
  now?: () => number;
}

const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const resourceKey = (rt: ResourceType): string => `${rt.apiVersion}/${rt.plural}`;
const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

const specOf = (obj: KubeObject): string => JSON.stringify(obj.spec ?? null);

interface Bucket {
  objects: Map<string, KubeObject>;
  sorted: KubeObject[] | undefined;
}

/**
 * The emulator's etcd: versioned objects per resource type, one cluster-wide increasing revision,
 * a bounded history for watches and synchronous change listeners.
 *
 * Objects handed out are deeply frozen snapshots: callers that want to change one clone it first.
 */
export class ObjectStore {
  readonly #buckets = new Map<string, Bucket>();
  readonly #listeners = new Map<string, Set<StoreListener>>();
  readonly #allListeners = new Set<StoreListener>();
  readonly #history: StoreEvent[] = [];
  readonly #window: number;
  readonly #now: () => number;
  #revision = 1;
  #compactedThrough = 0;

  constructor(options: ObjectStoreOptions = {}) {
    this.#window = options.compactionWindow ?? 5000;
    this.#now = options.now ?? Date.now;
    const namespaces = resourceByPath('v1', 'namespaces')!;
    for (const name of DEFAULT_NAMESPACES) {
      this.create(namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    }
  }

  /** The latest revision written (the resourceVersion a list returns). */
  get revision(): number {
    return this.#revision;
  }

  /** The oldest resourceVersion a watch can still start from. */
  get compactedThrough(): number {
    return this.#compactedThrough;
  }

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#bucket(rt).objects.get(objectKey(rt.namespaced ? namespace : undefined, name));
  }

  /** Objects of a type, sorted by namespace then name like etcd keys; all namespaces when unset. */
  list(rt: ResourceType, namespace?: string): readonly KubeObject[] {
    const bucket = this.#bucket(rt);
    bucket.sorted ??= [...bucket.objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, obj]) => obj);
    if (!rt.namespaced || namespace === undefined) return bucket.sorted;
    return bucket.sorted.filter((obj) => obj.metadata.namespace === namespace);
  }

  /** Counts objects of a type without sorting them. */
  count(rt: ResourceType): number {
    return this.#bucket(rt).objects.size;
  }

  create(rt: ResourceType, input: KubeObject): KubeObject {
    const meta = input.metadata;
    const name = meta.name ?? '';
    const namespace = rt.namespaced ? meta.namespace : undefined;
    if (rt.namespaced) this.#assertNamespaceExists(namespace);
    const bucket = this.#bucket(rt);
    const key = objectKey(namespace, name);
    if (bucket.objects.has(key)) throw alreadyExists(rt.plural, name, rt.group);
    const revision = this.#revision + 1;
    const metadata: KubeObject['metadata'] = {
      ...meta,
      name,
      uid: randomUUID(),
      resourceVersion: String(revision),
      creationTimestamp: rfc3339(this.#now()),
    };
    if (namespace !== undefined) metadata.namespace = namespace;
    else delete metadata.namespace;
    if (['Deployment', 'ReplicaSet', 'StatefulSet', 'Job'].includes(rt.kind)) metadata.generation = 1;
    const stored = deepFreeze({ ...input, apiVersion: rt.apiVersion, kind: rt.kind, metadata });
    this.#commit(bucket, key, 'ADDED', rt, stored);
    return stored;
  }

  /**
   * Replaces an object. A `metadata.resourceVersion` that is set and not current is a Conflict;
   * an empty one replaces unconditionally, as kube-apiserver does for PUT.
   */
  update(rt: ResourceType, input: KubeObject): KubeObject {
    const name = input.metadata.name ?? '';
    const namespace = rt.namespaced ? input.metadata.namespace : undefined;
    const bucket = this.#bucket(rt);
    const key = objectKey(namespace, name);
    const current = bucket.objects.get(key);
    if (!current) throw notFound(rt.plural, name, rt.group);
    const expected = input.metadata.resourceVersion;
    if (expected && expected !== current.metadata.resourceVersion) throw conflict(rt.plural, name, rt.group);
    const revision = this.#revision + 1;
    const metadata: KubeObject['metadata'] = {
      ...input.metadata,
      name,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      resourceVersion: String(revision),
    };
    if (namespace !== undefined) metadata.namespace = namespace;
    else delete metadata.namespace;
    if (current.metadata.generation !== undefined) {
      metadata.generation = current.metadata.generation + (specOf(current) === specOf(input) ? 0 : 1);
    }
    const stored = deepFreeze({ ...input, apiVersion: rt.apiVersion, kind: rt.kind, metadata });
    this.#commit(bucket, key, 'MODIFIED', rt, stored, current);
    return stored;
  }

  /** Deletes an object; deleting a namespace deletes everything in it first. */
  delete(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const ns = rt.namespaced ? namespace : undefined;
    const bucket = this.#bucket(rt);
    const key = objectKey(ns, name);
    const current = bucket.objects.get(key);
    if (!current) throw notFound(rt.plural, name, rt.group);
    if (rt.kind === 'Namespace') this.#deleteNamespaceContents(name);
    const revision = this.#revision + 1;
    const gone = deepFreeze({
      ...current,
      metadata: { ...current.metadata, resourceVersion: String(revision) },
    });
    this.#commit(bucket, key, 'DELETED', rt, gone);
    return gone;
  }

  /**
   * Calls `listener` for every change of a type (one namespace or all) after `sinceRevision`:
   * first the retained history, then live changes. Throws 410 Expired when that history is compacted.
   */
  watch(
    rt: ResourceType,
    namespace: string | undefined,
    sinceRevision: number,
    listener: StoreListener,
  ): () => void {
    if (sinceRevision < this.#compactedThrough) {
      throw new KubeApiError(
        'Expired',
        `too old resource version: ${sinceRevision} (${this.#compactedThrough})`,
      );
    }
    const wanted = (e: StoreEvent): boolean =>
      e.resource === rt &&
      (namespace === undefined || !rt.namespaced || e.object.metadata.namespace === namespace);
    for (const event of this.#history) {
      if (event.revision > sinceRevision && wanted(event)) listener(event);
    }
    const filtered: StoreListener = (e) => {
      if (wanted(e)) listener(e);
    };
    const key = resourceKey(rt);
    let set = this.#listeners.get(key);
    if (!set) {
      set = new Set();
      this.#listeners.set(key, set);
    }
    set.add(filtered);
    return () => set.delete(filtered);
  }

  /**
   * The retained changes after `revision`, oldest first (for lists from an earlier snapshot);
   * undefined when history before it was compacted away.
   */
  changesAfter(revision: number): readonly StoreEvent[] | undefined {
    if (revision < this.#compactedThrough) return undefined;
    return this.#history.filter((event) => event.revision > revision);
  }

  /** Every change of every type, for controllers. */
  onChange(listener: StoreListener): () => void {
    this.#allListeners.add(listener);
    return () => this.#allListeners.delete(listener);
  }

  /** Drops all watch history, so watches from any earlier resourceVersion get 410 Expired. */
  compact(): void {
    this.#history.length = 0;
    this.#compactedThrough = this.#revision;
  }

  #commit(
    bucket: Bucket,
    key: string,
    type: StoreEvent['type'],
    rt: ResourceType,
    object: KubeObject,
    previous?: KubeObject,
  ): void {
    this.#revision += 1;
    if (type === 'DELETED') bucket.objects.delete(key);
    else bucket.objects.set(key, object);
    bucket.sorted = undefined;
    const event: StoreEvent = Object.freeze(
      previous
        ? { type, revision: this.#revision, resource: rt, object, previous }
        : { type, revision: this.#revision, resource: rt, object },
    );
    this.#history.push(event);
    if (this.#history.length > this.#window) {
      const dropped = this.#history.splice(0, this.#history.length - this.#window);
      this.#compactedThrough = dropped[dropped.length - 1]?.revision ?? this.#compactedThrough;
    }
    for (const listener of this.#listeners.get(resourceKey(rt)) ?? []) listener(event);
    for (const listener of this.#allListeners) listener(event);
  }

  #bucket(rt: ResourceType): Bucket {
    const key = resourceKey(rt);
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      bucket = { objects: new Map(), sorted: undefined };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #assertNamespaceExists(namespace: string | undefined): void {
    if (!namespace) throw new KubeApiError('BadRequest', 'the namespace of the object must be set');
    const namespaces = resourceByPath('v1', 'namespaces')!;
    if (!this.get(namespaces, undefined, namespace)) throw notFound('namespaces', namespace);
  }

  #deleteNamespaceContents(namespace: string): void {
    for (const [key, bucket] of this.#buckets) {
      const [apiVersion, plural] = splitResourceKey(key);
      const rt = resourceByPath(apiVersion, plural);
      if (!rt?.namespaced) continue;
      for (const obj of [...bucket.objects.values()]) {
        if (obj.metadata.namespace === namespace) this.delete(rt, namespace, obj.metadata.name ?? '');
      }
    }
  }
}

function splitResourceKey(key: string): [string, string] {
  const slash = key.lastIndexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
