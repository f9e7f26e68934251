import { randomBytes } from 'node:crypto';
import { badRequest, KubeApiError, notFound } from '../kubeApiError.js';
import { type FieldValidation, pruneUnknownFields } from '../openapi/fieldValidation.js';
import { type FieldSelector, parseFieldSelector } from '../store/fieldSelector.js';
import { type LabelSelector, parseLabelSelector } from '../store/labelSelector.js';
import type { ObjectStore } from '../store/objectStore.js';
import { type ResourceType, resourceByKind } from '../store/resources.js';
import { validateObject } from '../store/validation.js';
import type { KubeObject } from '../types.js';
import { applyDefaults, foldStringData } from './admission.js';
import { omitEmptyMetadata } from './omitEmpty.js';
import { decodeContinue, encodeContinue, keyOf, objectsAt } from './pagination.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  type PatchType,
} from './patch/index.js';

export interface ListOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
  limit?: number | undefined;
  continue?: string | undefined;
}

export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface WriteOptions {
  /** `All` validates and answers without storing, like `?dryRun=All`. */
  dryRun?: boolean;
  subresource?: string | undefined;
  /**
   * `?fieldValidation=` of an HTTP request: unknown fields are dropped and reported (Strict: 400,
   * Warn: pushed to `warnings`). Unset (in-process writes): objects are stored as given.
   */
  fieldValidation?: FieldValidation | undefined;
  /** Collects the warnings of the write (the `Warning` headers of the response). */
  warnings?: string[];
}

export interface PatchOptions extends WriteOptions {
  fieldManager?: string | undefined;
  force?: boolean;
}

/** Compiled selectors of a list or watch request. */
export interface Selection {
  labels: LabelSelector | undefined;
  fields: FieldSelector | undefined;
  matches(obj: KubeObject): boolean;
}

export function compileSelection(rt: ResourceType, options: ListOptions): Selection {
  const labels = options.labelSelector ? parseLabelSelector(options.labelSelector) : undefined;
  const fields = options.fieldSelector ? parseFieldSelector(options.fieldSelector, rt) : undefined;
  return {
    labels,
    fields,
    matches: (obj) => (labels?.matches(obj.metadata.labels) ?? true) && (fields?.matches(obj) ?? true),
  };
}

const clone = <T>(value: T): T => structuredClone(value) as T;

function asObject(body: unknown, what: string): KubeObject {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`the body of the request must be a JSON object describing a ${what}`);
  }
  const obj = body as KubeObject;
  if (!obj.metadata || typeof obj.metadata !== 'object') obj.metadata = {};
  return obj;
}

/**
 * The verbs of the API server over the store: the same validation, defaulting and concurrency
 * rules for HTTP clients and for in-process callers of `MockCluster`.
 */
export class ResourceApi {
  constructor(private readonly store: ObjectStore) {}

  get(rt: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const obj = this.store.get(rt, namespace, name);
    if (!obj) throw notFound(rt.plural, name, rt.group);
    return obj;
  }

  list(rt: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const selection = compileSelection(rt, options);
    const from = options.continue ? decodeContinue(options.continue) : undefined;
    const all = from ? objectsAt(this.store, rt, namespace, from) : this.store.list(rt, namespace);
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const items: KubeObject[] = [];
    let index = 0;
    if (from) {
      while (index < all.length && keyOf(all[index]!) <= from.after) index += 1;
    }
    for (; index < all.length && items.length < limit; index += 1) {
      const obj = all[index]!;
      if (selection.matches(obj)) items.push(obj);
    }
    const resourceVersion = from?.rv ?? String(this.store.revision);
    const result: ListResult = { items, resourceVersion };
    const more = all.slice(index).some((obj) => selection.matches(obj));
    if (more) {
      const last = items[items.length - 1];
      result.continue = encodeContinue({ rv: resourceVersion, after: last ? keyOf(last) : '' });
      if (!selection.labels && !selection.fields) result.remainingItemCount = all.length - index;
    }
    return result;
  }

  create(
    rt: ResourceType,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const obj = this.#pruned(rt, clone(asObject(body, rt.kind)), options);
    this.#checkKind(rt, obj);
    if (rt.namespaced) {
      const bodyNamespace = obj.metadata.namespace;
      if (namespace && bodyNamespace && bodyNamespace !== namespace) {
        throw badRequest(
          `the namespace of the provided object (${bodyNamespace}) does not match the namespace sent on the request (${namespace})`,
        );
      }
      obj.metadata.namespace = namespace ?? bodyNamespace ?? 'default';
    }
    if (!obj.metadata.name && obj.metadata.generateName) {
      obj.metadata.name = `${obj.metadata.generateName}${randomBytes(3).toString('hex').slice(0, 5)}`;
    }
    delete obj.metadata.resourceVersion;
    delete obj.metadata.uid;
    applyDefaults(rt, obj);
    omitEmptyMetadata(obj);
    validateObject(rt, obj);
    if (options.dryRun) return obj;
    return this.store.create(rt, obj);
  }

  update(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    body: unknown,
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.get(rt, namespace, name);
    const obj = this.#pruned(rt, clone(asObject(body, rt.kind)), options, current);
    this.#checkKind(rt, obj);
    if (obj.metadata.name && obj.metadata.name !== name) {
      throw badRequest(
        `the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`,
      );
    }
    obj.metadata.name = name;
    if (rt.namespaced) obj.metadata.namespace = namespace;
    const next = this.#mergeSubresource(rt, current, obj, options.subresource);
    if (rt.kind === 'Secret') foldStringData(next);
    omitEmptyMetadata(next);
    validateObject(rt, next);
    if (options.dryRun) return next;
    return this.store.update(rt, next);
  }

  /** Patches an object; a server-side apply of a missing object creates it (`created` is then true). */
  patch(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    body: unknown,
    options: PatchOptions = {},
  ): { object: KubeObject; created: boolean } {
    const current = this.store.get(rt, namespace, name);
    if (type === 'apply') {
      const applied = asObject(body, rt.kind);
      if (!current) {
        const created = applyServerSideApply(undefined, applied, options.fieldManager ?? 'unknown', true);
        return {
          object: this.create(
            rt,
            namespace,
            { ...created, metadata: { ...created.metadata, name } },
            options,
          ),
          created: true,
        };
      }
      const merged = applyServerSideApply(
        current,
        applied,
        options.fieldManager ?? 'unknown',
        options.force ?? false,
      );
      return { object: this.#replace(rt, current, merged, options), created: false };
    }
    if (!current) throw notFound(rt.plural, name, rt.group);
    let patched: unknown;
    if (type === 'json') patched = applyJsonPatch(current, body);
    else if (type === 'merge') patched = applyMergePatch(current, body);
    else patched = applyStrategicMergePatch(current, body, rt.kind);
    return { object: this.#replace(rt, current, asObject(patched, rt.kind), options), created: false };
  }

  delete(
    rt: ResourceType,
    namespace: string | undefined,
    name: string,
    options: WriteOptions = {},
  ): KubeObject {
    const current = this.get(rt, namespace, name);
    if (options.dryRun) return current;
    return this.store.delete(rt, namespace, name);
  }

  deleteCollection(
    rt: ResourceType,
    namespace: string | undefined,
    options: ListOptions & WriteOptions = {},
  ): ListResult {
    const { items, resourceVersion } = this.list(rt, namespace, {
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    });
    const deleted = options.dryRun
      ? items
      : items.map((obj) => this.store.delete(rt, obj.metadata.namespace, obj.metadata.name ?? ''));
    return { items: deleted, resourceVersion };
  }

  /** Validates and stores a patched or applied object, keeping what the client may not change. */
  #replace(rt: ResourceType, current: KubeObject, next: KubeObject, options: WriteOptions): KubeObject {
    const obj = this.#pruned(rt, clone(next), options, current);
    obj.metadata.name = current.metadata.name;
    if (rt.namespaced) obj.metadata.namespace = current.metadata.namespace;
    // A patch conflicts only when it names a resourceVersion (JSON/merge patches may do so on purpose).
    if (obj.metadata.resourceVersion === undefined)
      obj.metadata.resourceVersion = current.metadata.resourceVersion;
    const merged = this.#mergeSubresource(rt, current, obj, options.subresource);
    if (rt.kind === 'Secret') foldStringData(merged);
    omitEmptyMetadata(merged);
    validateObject(rt, merged);
    if (options.dryRun) return merged;
    return this.store.update(rt, merged);
  }

  /**
   * Kinds with a status subresource keep `status` on writes to the main resource, and writes to
   * `/status` change nothing but `status`, as kube-apiserver's strategies do.
   */
  #mergeSubresource(
    rt: ResourceType,
    current: KubeObject,
    next: KubeObject,
    subresource: string | undefined,
  ): KubeObject {
    if (!rt.subresources.includes('status')) return next;
    if (subresource === 'status') {
      return {
        ...clone(current),
        status: next.status,
        metadata: { ...clone(current.metadata), resourceVersion: next.metadata.resourceVersion },
      };
    }
    const merged = { ...next };
    if (current.status !== undefined) merged.status = clone(current.status);
    else delete merged.status;
    return merged;
  }

  #pruned(rt: ResourceType, obj: KubeObject, options: WriteOptions, stored?: KubeObject): KubeObject {
    if (!options.fieldValidation || options.subresource) return obj;
    const { object, warnings } = pruneUnknownFields(rt, obj, options.fieldValidation, stored);
    options.warnings?.push(...warnings);
    return object;
  }

  #checkKind(rt: ResourceType, obj: KubeObject): void {
    if (obj.kind !== undefined && obj.kind !== rt.kind) {
      throw badRequest(
        `the kind of the object (${obj.kind}) does not match the resource ${rt.plural} (${rt.kind})`,
      );
    }
    if (obj.apiVersion !== undefined && obj.apiVersion !== rt.apiVersion) {
      throw badRequest(`the apiVersion of the object (${obj.apiVersion}) does not match ${rt.apiVersion}`);
    }
    obj.kind = rt.kind;
    obj.apiVersion = rt.apiVersion;
  }
}

/** Resolves the resource type of an object by its apiVersion and kind (for `MockCluster.apply`). */
export function resourceOf(obj: KubeObject): ResourceType {
  const rt = resourceByKind(obj.apiVersion ?? '', obj.kind ?? '');
  if (!rt)
    throw new KubeApiError('NotFound', `no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
  return rt;
}
