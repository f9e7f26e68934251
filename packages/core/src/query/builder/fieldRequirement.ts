import type { KubeObject } from '../../cluster/kubeObject.js';

/** One field selector term: `status.phase=Running`, `metadata.namespace!=dev`. */
export interface FieldRequirement {
  /** A dotted path the API server can select on (`metadata.name`, `spec.nodeName`, `involvedObject.uid`). */
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

export function formatFieldRequirement(r: FieldRequirement): string {
  return `${r.field}${r.op}${r.value}`;
}

/** Terms as a field selector (comma = AND), or undefined when there are none. */
export function formatFieldSelector(requirements: readonly FieldRequirement[]): string | undefined {
  return requirements.length === 0 ? undefined : requirements.map(formatFieldRequirement).join(',');
}

/** The value of a dotted field as the API server compares it: missing fields are `''`. */
export function readField(object: KubeObject, field: string): string {
  let value: unknown = object;
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return '';
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null ? '' : String(value);
}

export function matchesField(r: FieldRequirement, object: KubeObject): boolean {
  return (readField(object, r.field) === r.value) === (r.op === '=');
}
