import type { KubeObject } from '../cluster/kubeObject.js';
import type { ResourceRef } from '../cluster/resources.js';
import type { WatchScope } from '../cluster/watchScope.js';
import type { StoredValue } from './kvCodec.js';
import type { KvBackend, KvCacheScope } from './kvTypes.js';

export const CONFIG_MAPS: ResourceRef = Object.freeze({ group: '', version: 'v1', resource: 'configmaps' });
export const SECRETS: ResourceRef = Object.freeze({ group: '', version: 'v1', resource: 'secrets' });

/** Keys of a Secret-backed bucket whose values are bytes (a Secret has no `binaryData` to tell). */
const BINARY_KEYS = 'kubesmart.io/kv-binary-keys';

export type Entries = Map<string, StoredValue>;

/**
 * An object for keys as data: no prototype, so a key named `__proto__` (a valid ConfigMap key) is an
 * own property that JSON keeps, never the prototype setter that drops it.
 */
export function dataRecord(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/** What differs between a ConfigMap and a Secret bucket. */
export interface BackendAdapter {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly resource: ResourceRef;
  /** Objects a bucket may span: a Secret bucket is one Secret, a ConfigMap bucket grows. */
  readonly maxObjects: number;
  /** Why a bucket is one object, for the error of a write that does not fit (when `maxObjects` is 1). */
  readonly oneObject: string;
  /** The shared watch-cache scope that holds the bucket's objects. */
  scope(namespace: string, bucket: string): WatchScope;
  read(object: KubeObject): Entries;
  /** Sets the entries of a copy of `object` (its other fields kept). */
  write(object: KubeObject, entries: Entries): KubeObject;
}

function stringMap(value: unknown): Record<string, string> {
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}

const configMaps: BackendAdapter = {
  kind: 'ConfigMap',
  resource: CONFIG_MAPS,
  maxObjects: Number.POSITIVE_INFINITY,
  oneObject: '',
  // Every ConfigMap of the namespace, in one cache shared with other engines; ConfigMaps made by hand
  // (kubectl create configmap) are buckets too.
  scope: (namespace) => ({ resource: CONFIG_MAPS, namespace }),
  read(object) {
    const entries: Entries = new Map();
    for (const [key, text] of Object.entries(stringMap(object.data))) entries.set(key, { text });
    for (const [key, b64] of Object.entries(stringMap(object.binaryData)))
      entries.set(key, { bytes: Buffer.from(b64, 'base64') });
    return entries;
  },
  write(object, entries) {
    const data = dataRecord();
    const binaryData = dataRecord();
    for (const [key, stored] of entries) {
      if ('text' in stored) data[key] = stored.text;
      else binaryData[key] = stored.bytes.toString('base64');
    }
    const { data: _d, binaryData: _b, ...rest } = object;
    return {
      ...rest,
      ...(Object.keys(data).length ? { data } : {}),
      ...(Object.keys(binaryData).length ? { binaryData } : {}),
    };
  },
};

const secrets: BackendAdapter = {
  kind: 'Secret',
  resource: SECRETS,
  maxObjects: 1,
  oneObject: 'a Secret bucket is one object (use the configmap backend, which grows)',
  // Only this Secret: the engine never holds other Secrets of the namespace in memory.
  scope: (namespace, bucket) => ({ resource: SECRETS, namespace, fieldSelector: `metadata.name=${bucket}` }),
  read(object) {
    const binary = new Set((object.metadata?.annotations?.[BINARY_KEYS] ?? '').split(',').filter(Boolean));
    const entries: Entries = new Map();
    for (const [key, b64] of Object.entries(stringMap(object.data))) {
      const bytes = Buffer.from(b64, 'base64');
      entries.set(key, binary.has(key) ? { bytes } : { text: bytes.toString('utf8') });
    }
    return entries;
  },
  write(object, entries) {
    const data = dataRecord();
    const binary: string[] = [];
    for (const [key, stored] of entries) {
      if ('text' in stored) data[key] = Buffer.from(stored.text, 'utf8').toString('base64');
      else {
        data[key] = stored.bytes.toString('base64');
        binary.push(key);
      }
    }
    const { data: _d, stringData: _s, ...rest } = object;
    const annotations = { ...(object.metadata?.annotations ?? {}) };
    if (binary.length) annotations[BINARY_KEYS] = binary.sort().join(',');
    else delete annotations[BINARY_KEYS];
    return {
      ...rest,
      type: object.type ?? 'Opaque',
      metadata: { ...object.metadata, annotations },
      ...(Object.keys(data).length ? { data } : {}),
    };
  },
};

/**
 * ConfigMap buckets that read only their own object (`fieldSelector=metadata.name=<bucket>`), for
 * identities whose Role names the buckets (`resourceNames`): such a Role cannot name overflow objects
 * that do not exist yet, so the bucket is one ConfigMap.
 */
const namedConfigMaps: BackendAdapter = {
  ...configMaps,
  maxObjects: 1,
  oneObject:
    "a bucket with `cacheScope: 'bucket'` is one ConfigMap (the namespace-wide cache lets a bucket grow)",
  scope: (namespace, bucket) => ({
    resource: CONFIG_MAPS,
    namespace,
    fieldSelector: `metadata.name=${bucket}`,
  }),
};

export function backendAdapter(backend: KvBackend, cacheScope: KvCacheScope = 'namespace'): BackendAdapter {
  if (backend === 'secret') return secrets;
  return cacheScope === 'bucket' ? namedConfigMaps : configMaps;
}
