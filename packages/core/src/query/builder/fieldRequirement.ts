import { fieldRequirementMatches, readFieldPath } from '@kubesmart/selectors';
import type { KubeObject } from '../../cluster/kubeObject.js';

/** One field selector term: `status.phase=Running`, `metadata.namespace!=dev`. */
export interface FieldRequirement {
  /** A dotted path the API server can select on (`metadata.name`, `spec.nodeName`, `involvedObject.uid`). */
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

/** One term as selector text, its value escaped (`\\,`, `\\=`, `\\\\`) as the API server reads it. */
export { formatFieldRequirement, formatFieldSelector } from '@kubesmart/selectors';

/** The value of a dotted field as the API server compares it: own properties only, missing fields are `''`. */
export function readField(object: KubeObject, field: string): string {
  return readFieldPath(object, field);
}

export function matchesField(r: FieldRequirement, object: KubeObject): boolean {
  return fieldRequirementMatches(r, readField(object, r.field));
}
