/**
 * A small language for describing the kinds the emulator serves, once: the OpenAPI v2 and v3
 * documents (`kubectl explain`) and server-side field validation are both generated from it.
 */

export type Schema =
  | {
      readonly type: 'string' | 'integer' | 'boolean' | 'number';
      readonly description: string;
      readonly format?: string;
    }
  | { readonly type: 'intOrString'; readonly description: string }
  | { readonly type: 'array'; readonly description: string; readonly items: Schema }
  | { readonly type: 'map'; readonly description: string; readonly values: Schema }
  | { readonly type: 'ref'; readonly description: string; readonly ref: string }
  /** Any JSON: an object whose fields are not described here (and are never pruned). */
  | { readonly type: 'open'; readonly description: string };

/** A named object type (`io.k8s.api.core.v1.Container`): its fields, all known. */
export interface Definition {
  readonly description: string;
  readonly properties: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
}

export const str = (description = ''): Schema => ({ type: 'string', description });
export const int = (description = ''): Schema => ({ type: 'integer', description, format: 'int32' });
export const int64 = (description = ''): Schema => ({ type: 'integer', description, format: 'int64' });
export const bool = (description = ''): Schema => ({ type: 'boolean', description });
export const time = (description = ''): Schema => ({ type: 'string', description, format: 'date-time' });
export const intOrString = (description = ''): Schema => ({ type: 'intOrString', description });
export const arrayOf = (items: Schema, description = ''): Schema => ({ type: 'array', description, items });
export const mapOf = (values: Schema, description = ''): Schema => ({ type: 'map', description, values });
export const ref = (name: string, description = ''): Schema => ({ type: 'ref', description, ref: name });
export const open = (description = ''): Schema => ({ type: 'open', description });
export const strings = (description = ''): Schema => arrayOf(str(), description);
export const stringMap = (description = ''): Schema => mapOf(str(), description);

/** Fields whose values are described elsewhere or not at all, by name: each is `open`. */
export function openFields(...names: string[]): Record<string, Schema> {
  return Object.fromEntries(names.map((name) => [name, open()]));
}
