import type { KubeObject } from '../types.js';

/** ObjectMeta fields that kube-apiserver's types mark `omitempty`: an empty one is not stored or sent. */
const OMIT_WHEN_EMPTY = ['labels', 'annotations', 'finalizers', 'ownerReferences', 'managedFields'] as const;

const isEmpty = (value: unknown): boolean =>
  value === null ||
  (Array.isArray(value) && value.length === 0) ||
  (typeof value === 'object' && value !== null && Object.keys(value).length === 0);

/**
 * Drops empty labels, annotations and the other omitempty lists of `metadata`, as a real server does
 * when it decodes a body into its typed objects: a patch with `"annotations": {}` (kubectl diff and
 * apply send one) leaves no `annotations: {}` behind.
 */
export function omitEmptyMetadata(obj: KubeObject): KubeObject {
  const metadata = obj.metadata as Record<string, unknown>;
  for (const field of OMIT_WHEN_EMPTY) {
    if (field in metadata && isEmpty(metadata[field])) delete metadata[field];
  }
  return obj;
}
