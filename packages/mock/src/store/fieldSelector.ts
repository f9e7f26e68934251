import {
  type FieldRequirement,
  fieldRequirementMatches,
  parseFieldSelector as parseShared,
  SelectorError,
} from '@kubesmart/selectors';
import { badRequest } from '../kubeApiError.js';
import type { KubeObject } from '../types.js';
import { type ResourceType, readField, supportsField } from './resources.js';

export type { FieldRequirement };

export interface FieldSelector {
  /** In the order kube-apiserver keeps them: sorted by their text. */
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
}

/**
 * Parses a field selector (`fieldSelector=` of a list or watch) for one resource type, like
 * kube-apiserver: comma means AND, the operators are `=`, `==` and `!=`, and `\,`, `\=` and `\\`
 * escape those characters in values. A field the object lacks reads as the empty string.
 * @throws KubeApiError 400 BadRequest for text it cannot parse, and `field label not supported: <field>`
 * for a field `rt` does not support.
 */
export function parseFieldSelector(text: string, rt: ResourceType): FieldSelector {
  let requirements: FieldRequirement[];
  try {
    requirements = parseShared(text);
  } catch (error) {
    if (error instanceof SelectorError) throw badRequest(error.message);
    throw error;
  }
  const unsupported = requirements.find((r) => !supportsField(rt, r.field));
  if (unsupported) throw badRequest(`field label not supported: ${unsupported.field}`);
  return Object.freeze({
    requirements,
    matches: (obj: KubeObject) => requirements.every((r) => requirementMatches(rt, obj, r)),
  });
}

function requirementMatches(rt: ResourceType, obj: KubeObject, r: FieldRequirement): boolean {
  return fieldRequirementMatches(r, readField(rt, obj, r.field) ?? '');
}
