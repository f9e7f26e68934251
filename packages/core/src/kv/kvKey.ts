import { InvalidArgumentError, KvKeyInvalidError } from '../errors.js';
import { OVERFLOW_SUFFIX } from './kvShards.js';

/** ConfigMap and Secret keys, as kube-apiserver checks them (`IsConfigMapKey`). */
const KEY = /^[-._a-zA-Z0-9]+$/;
const MAX_KEY_LENGTH = 253;
/** A DNS-1123 subdomain, as kube-apiserver checks object names: dot-separated DNS-1123 labels. */
const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Bucket names are also label values (`kubesmart.io/kv-bucket`), which allow 63 characters. */
const MAX_BUCKET_LENGTH = 63;

/** Throws {@link KvKeyInvalidError} unless `key` is a valid ConfigMap/Secret key. */
export function assertKey(key: unknown, bucket: string): asserts key is string {
  const shown =
    typeof key === 'string' ? JSON.stringify(key.length > 80 ? `${key.slice(0, 80)}...` : key) : String(key);
  let problem: string | undefined;
  if (typeof key !== 'string') problem = `it is a ${typeof key}, not a string`;
  else if (key.length === 0) problem = 'it is empty';
  else if (key.length > MAX_KEY_LENGTH)
    problem = `it has ${key.length} characters; at most ${MAX_KEY_LENGTH} are allowed`;
  else if (!KEY.test(key)) problem = 'it may only hold letters, digits, "-", "_" and "."';
  else if (key === '.' || key === '..') problem = 'it may not be "." or ".."';
  else if (key.startsWith('..')) problem = 'it may not start with ".."';
  if (problem === undefined) return;
  throw new KvKeyInvalidError(
    `KV bucket "${bucket}": key ${shown} is invalid: ${problem}. Keys follow the ConfigMap key grammar ` +
      `[-._a-zA-Z0-9]+ (at most ${MAX_KEY_LENGTH} characters); encode other characters (for example "/" as ".").`,
    { details: { bucket } },
  );
}

/** Throws {@link InvalidArgumentError} unless `name` can name a bucket and its overflow objects. */
export function assertBucketName(name: unknown): asserts name is string {
  if (typeof name === 'string' && OVERFLOW_SUFFIX.test(name) && NAME.test(name)) {
    throw new InvalidArgumentError(
      `KV bucket name ${JSON.stringify(name)} is invalid: names ending in ".kv-<number>" are those of ` +
        "buckets' overflow objects. Choose another name.",
    );
  }
  if (typeof name === 'string' && name.length <= MAX_BUCKET_LENGTH && NAME.test(name)) return;
  throw new InvalidArgumentError(
    `KV bucket name ${JSON.stringify(name)} is invalid: it names ConfigMaps or Secrets, so it must be a ` +
      `DNS-1123 subdomain (lower-case letters, digits, "-" and ".", each dot-separated part starting and ` +
      `ending with a letter or digit) of at most ${MAX_BUCKET_LENGTH} characters.`,
  );
}

/** Throws {@link InvalidArgumentError} unless `namespace` is a DNS-1123 label. */
export function assertNamespace(namespace: unknown): asserts namespace is string {
  if (
    typeof namespace === 'string' &&
    namespace.length <= 63 &&
    /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)
  )
    return;
  throw new InvalidArgumentError(
    `KV namespace ${JSON.stringify(namespace)} is invalid: namespaces are DNS-1123 labels ` +
      '(lower-case letters, digits and "-", at most 63 characters).',
  );
}
