import { badRequest } from '../kubeApiError.js';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import { DEFINITIONS } from './kindSchemas.js';
import { kindDefinition } from './openapiDocuments.js';
import type { Definition, Schema } from './schemaModel.js';

/** `?fieldValidation=`: what the server does with fields the kind does not have. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Reads `?fieldValidation=`; absent is `Warn`, as kube-apiserver defaults. Throws 400 on other values. */
export function fieldValidationOf(value: string | null): FieldValidation {
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation must be one of Ignore, Warn or Strict, not "${value}"`);
}

type Json = Record<string, unknown>;

/** Unknown field paths found while pruning, and those to keep and not report (already stored). */
interface Pruning {
  readonly unknown: string[];
  readonly tolerated: ReadonlySet<string>;
}

function pruneDefinition(definition: Definition, value: unknown, path: string, unknown: Pruning): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Json = {};
  for (const [key, child] of Object.entries(value as Json)) {
    const schema = definition.properties[key];
    const childPath = path ? `${path}.${key}` : key;
    if (schema) out[key] = pruneSchema(schema, child, childPath, unknown);
    else if (unknown.tolerated.has(childPath)) out[key] = child;
    else unknown.unknown.push(childPath);
  }
  return out;
}

function pruneSchema(schema: Schema, value: unknown, path: string, unknown: Pruning): unknown {
  if (value === null || value === undefined) return value;
  switch (schema.type) {
    case 'ref': {
      const definition = DEFINITIONS[schema.ref];
      return definition ? pruneDefinition(definition, value, path, unknown) : value;
    }
    case 'array':
      return Array.isArray(value)
        ? value.map((item, i) => pruneSchema(schema.items, item, `${path}[${i}]`, unknown))
        : value;
    case 'map':
      if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
      return Object.fromEntries(
        Object.entries(value as Json).map(([k, v]) => [
          k,
          pruneSchema(schema.values, v, `${path}.${k}`, unknown),
        ]),
      );
    default:
      return value;
  }
}

/**
 * Drops the fields an object's kind does not have (except those `stored`, the object being patched
 * or replaced, already had), as decoding into kube-apiserver's types does,
 * and reports them: `Strict` is a 400 strict decoding error naming each field, `Warn` returns them
 * as warnings (`unknown field "spec.replica"`), `Ignore` drops them silently. Kinds and fields not
 * described in `kindSchemas.ts` keep whatever they hold.
 */
export function pruneUnknownFields(
  rt: ResourceType,
  obj: KubeObject,
  mode: FieldValidation,
  stored?: KubeObject,
): { object: KubeObject; warnings: string[] } {
  const tolerated = new Set(stored ? prune(rt, stored, { unknown: [], tolerated: new Set() }).unknown : []);
  const { object, unknown } = prune(rt, obj, { unknown: [], tolerated });
  const messages = unknown.map((path) => `unknown field "${path}"`);
  if (mode === 'Strict' && messages.length > 0) {
    throw badRequest(
      `${rt.kind} in version "${rt.version}" cannot be handled as a ${rt.kind}: strict decoding error: ${messages.join(', ')}`,
    );
  }
  return { object, warnings: mode === 'Warn' ? messages : [] };
}

function prune(
  rt: ResourceType,
  obj: KubeObject,
  pruning: Pruning,
): { object: KubeObject; unknown: string[] } {
  const definition = kindDefinition(rt);
  const metadata = definition.properties.metadata;
  const object = definition.described
    ? (pruneDefinition(definition, obj, '', pruning) as KubeObject)
    : metadata
      ? {
          ...obj,
          metadata: pruneSchema(metadata, obj.metadata, 'metadata', pruning) as KubeObject['metadata'],
        }
      : obj;
  return { object, unknown: pruning.unknown };
}
