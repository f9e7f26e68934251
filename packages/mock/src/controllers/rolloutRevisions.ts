import { createHash } from 'node:crypto';
import type { KubeObject } from '../types.js';

/** The annotations the deployment controller keeps on Deployments and their ReplicaSets. */
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const HASH_LABEL = 'pod-template-hash';

/** Annotations of a Deployment that are not copied to its ReplicaSets, as in the real controller. */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
]);

/** Go's decoder reads `null`, `{}` and `[]` of an omitempty field as the field's absence. */
const isEmpty = (value: unknown): boolean =>
  value === null ||
  value === undefined ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/**
 * JSON with object keys sorted and empty fields left out, so templates that decode alike (a
 * template kubectl copied back with `creationTimestamp: null` and `resources: {}`) hash alike.
 */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => !isEmpty(v) && canonical(v) !== '{}')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

interface Template {
  metadata?: { labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

/** A pod template without the `pod-template-hash` label (what a ReplicaSet's template is compared by). */
export function withoutHash(template: unknown): Template {
  const copy = structuredClone((template ?? {}) as Template);
  if (copy.metadata?.labels) {
    const { [HASH_LABEL]: _hash, ...labels } = copy.metadata.labels;
    copy.metadata.labels = labels;
  }
  return copy;
}

/** The `pod-template-hash` of a template: stable across key order, blind to the hash label itself. */
export function templateHash(template: unknown): string {
  return createHash('sha256')
    .update(canonical(withoutHash(template)))
    .digest('hex')
    .slice(0, 10);
}

/** The revision a ReplicaSet records, 0 when it has none. */
export function revisionOf(obj: KubeObject): number {
  const value = Number(obj.metadata.annotations?.[REVISION] ?? '0');
  return Number.isInteger(value) && value > 0 ? value : 0;
}

/** The highest revision among ReplicaSets. */
export function maxRevision(replicaSets: readonly KubeObject[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/**
 * The annotations a Deployment's current ReplicaSet should have: the Deployment's own (those that
 * are copied), its revision, and, when an older revision came back (a rollback), the revisions it
 * had before in `revision-history`.
 */
export function replicaSetAnnotations(
  deployment: KubeObject,
  replicaSet: KubeObject | undefined,
  revision: number,
  replicas: number,
): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [key, value] of Object.entries(replicaSet?.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(key)) annotations[key] = value;
  }
  for (const [key, value] of Object.entries(deployment.metadata.annotations ?? {})) {
    if (!NOT_COPIED.has(key)) annotations[key] = value;
  }
  const previous = replicaSet ? revisionOf(replicaSet) : 0;
  if (previous > 0 && previous !== revision) {
    const history = annotations[REVISION_HISTORY];
    annotations[REVISION_HISTORY] = history ? `${history},${previous}` : String(previous);
  }
  annotations[REVISION] = String(revision);
  annotations[DESIRED_REPLICAS] = String(replicas);
  annotations[MAX_REPLICAS] = String(replicas + maxSurge(deployment, replicas));
  return annotations;
}

/** `spec.strategy.rollingUpdate.maxSurge` as a number of pods (default 25%, rounded up). */
function maxSurge(deployment: KubeObject, replicas: number): number {
  const strategy = (
    deployment.spec as { strategy?: { type?: string; rollingUpdate?: { maxSurge?: unknown } } }
  )?.strategy;
  if (strategy?.type === 'Recreate') return 0;
  const surge = strategy?.rollingUpdate?.maxSurge ?? '25%';
  if (typeof surge === 'number') return surge;
  const percent = /^(\d+)%$/.exec(String(surge));
  return percent ? Math.ceil((replicas * Number(percent[1])) / 100) : Number(surge) || 0;
}

/** Whether two annotation maps hold the same entries. */
export function sameAnnotations(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  return canonical(a ?? {}) === canonical(b);
}
