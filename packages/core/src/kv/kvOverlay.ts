import type { KubeObject } from '../cluster/kubeObject.js';

const DECIMAL = /^\d{1,30}$/;

/**
 * Orders two resourceVersions: negative when `a` is older. Kubernetes documents resourceVersions as
 * comparable integers (etcd revisions; KEP-5504); anything else is not comparable (undefined).
 */
export function compareVersions(a: string | undefined, b: string | undefined): number | undefined {
  if (a === undefined || b === undefined || !DECIMAL.test(a) || !DECIMAL.test(b)) return undefined;
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

const versionOf = (object: KubeObject | undefined): string | undefined => object?.metadata?.resourceVersion;

/** The newer of two copies of one object; `candidate` when `current` is absent or versions do not compare. */
export function newerObject(current: KubeObject | undefined, candidate: KubeObject): KubeObject {
  if (!current) return candidate;
  const order = compareVersions(versionOf(current), versionOf(candidate));
  return order !== undefined && order >= 0 ? current : candidate;
}

/**
 * Whether a copy this process wrote is still newer than what the cache shows: the cache holds an older
 * copy, or holds none but has not yet reached the write's version (it may not have seen the create).
 * Versions that do not compare trust the cache.
 */
export function ownCopyIsNewer(
  mine: KubeObject,
  cached: KubeObject | undefined,
  cacheVersion: () => string | undefined,
): boolean {
  const order = compareVersions(cached ? versionOf(cached) : cacheVersion(), versionOf(mine));
  return order !== undefined && order < 0;
}
