import { type KubeObject, keyOfObject } from './kubeObject.js';

/** One change a {@link CacheStore.replace} made, in the order add, update, delete. */
export type StoreChange<T> =
  | { type: 'add'; object: T }
  | { type: 'update'; object: T; previous: T }
  | { type: 'delete'; object: T };

/** Computes an index value of an object (a label, a field); undefined leaves it out of the index. */
export type IndexFunction<T> = (object: T) => string | undefined;

interface Index<T> {
  readonly fn: IndexFunction<T>;
  readonly buckets: Map<string, Map<string, T>>;
}

/**
 * The objects of one watch cache by `namespace/name`, with optional secondary indexes (like
 * client-go's Indexer) so many readers can find their few objects without scanning all of them.
 */
export class CacheStore<T extends KubeObject> {
  readonly #objects = new Map<string, T>();
  readonly #indexes = new Map<string, Index<T>>();

  get size(): number {
    return this.#objects.size;
  }

  get(key: string): T | undefined {
    return this.#objects.get(key);
  }

  values(): T[] {
    return [...this.#objects.values()];
  }

  /** Adds an index; a second call with the same name keeps the first function. */
  addIndex(name: string, fn: IndexFunction<T>): void {
    if (this.#indexes.has(name)) return;
    const index: Index<T> = { fn, buckets: new Map() };
    this.#indexes.set(name, index);
    for (const [key, object] of this.#objects) this.#indexOne(index, key, object);
  }

  /** Objects whose index `name` has `value`; empty for an unknown index. */
  byIndex(name: string, value: string): T[] {
    const bucket = this.#indexes.get(name)?.buckets.get(value);
    return bucket ? [...bucket.values()] : [];
  }

  /** Stores an object; returns the one it replaced. */
  set(object: T): T | undefined {
    const key = keyOfObject(object);
    const previous = this.#objects.get(key);
    if (previous) this.#unindex(key, previous);
    this.#objects.set(key, object);
    for (const index of this.#indexes.values()) this.#indexOne(index, key, object);
    return previous;
  }

  /** Removes an object by the key of `object`; returns the stored one. */
  delete(object: T): T | undefined {
    const key = keyOfObject(object);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    this.#unindex(key, previous);
    this.#objects.delete(key);
    return previous;
  }

  /** Replaces every object (after a list) and returns what changed; same resourceVersion = unchanged. */
  replace(objects: readonly T[]): StoreChange<T>[] {
    const changes: StoreChange<T>[] = [];
    const seen = new Set<string>();
    for (const object of objects) {
      seen.add(keyOfObject(object));
      const previous = this.set(object);
      if (!previous) changes.push({ type: 'add', object });
      else if (previous.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        changes.push({ type: 'update', object, previous });
      }
    }
    for (const [key, object] of [...this.#objects]) {
      if (!seen.has(key)) {
        this.delete(object);
        changes.push({ type: 'delete', object });
      }
    }
    return changes;
  }

  #indexOne(index: Index<T>, key: string, object: T): void {
    const value = index.fn(object);
    if (value === undefined) return;
    let bucket = index.buckets.get(value);
    if (!bucket) {
      bucket = new Map();
      index.buckets.set(value, bucket);
    }
    bucket.set(key, object);
  }

  #unindex(key: string, object: T): void {
    for (const index of this.#indexes.values()) {
      const value = index.fn(object);
      if (value === undefined) continue;
      const bucket = index.buckets.get(value);
      bucket?.delete(key);
      if (bucket?.size === 0) index.buckets.delete(value);
    }
  }
}
