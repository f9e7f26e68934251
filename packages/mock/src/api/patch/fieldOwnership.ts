import { isObject, type JsonObject } from './jsonObject.js';

/**
 * Field ownership over FieldsV1 sets (`{"f:spec":{"f:replicas":{}}}`): a field is a path of set keys
 * (`f:<name>`, `k:{"name":"web"}` for a list item by merge key, `v:<json>` for a set member).
 */
export type FieldPath = readonly string[];

/** The owned leaves of a set: fields without children, and list items (which own themselves, `.`). */
export function leavesOf(set: JsonObject, prefix: FieldPath = []): FieldPath[] {
  const leaves: FieldPath[] = [];
  for (const [key, children] of Object.entries(set)) {
    if (key === '.') continue;
    const path = [...prefix, key];
    const members = isObject(children) ? children : {};
    const nested = Object.keys(members).filter((k) => k !== '.');
    if (nested.length === 0 || '.' in members) leaves.push(path);
    if (nested.length > 0) leaves.push(...leavesOf(members, path));
  }
  return leaves;
}

export const pathKey = (path: FieldPath): string => path.join('\u0000');

/** `.spec.template.spec.containers[name="web"].image`, as kube-apiserver prints a field path. */
export function describePath(path: FieldPath): string {
  return path
    .map((segment) => {
      if (segment.startsWith('f:')) return `.${segment.slice(2)}`;
      if (segment.startsWith('k:')) {
        const keys = JSON.parse(segment.slice(2)) as JsonObject;
        return `[${Object.entries(keys)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${segment.slice(2)}]`;
    })
    .join('');
}

function matchesKey(item: unknown, segment: string): boolean {
  if (!isObject(item)) return false;
  const keys = JSON.parse(segment.slice(2)) as JsonObject;
  return Object.entries(keys).every(([k, v]) => JSON.stringify(item[k]) === JSON.stringify(v));
}

/** The value at a field path of an object, undefined when absent. */
export function valueAt(obj: unknown, path: FieldPath): unknown {
  let current: unknown = obj;
  for (const segment of path) {
    if (segment.startsWith('f:')) current = isObject(current) ? current[segment.slice(2)] : undefined;
    else if (segment.startsWith('k:'))
      current = Array.isArray(current) ? current.find((i) => matchesKey(i, segment)) : undefined;
    else {
      const wanted = segment.slice(2);
      current = Array.isArray(current) ? current.find((i) => JSON.stringify(i) === wanted) : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

/** Removes the field at a path from an object (in place); absent fields are left alone. */
export function removeAt(obj: JsonObject, path: FieldPath): void {
  const parent = valueAt(obj, path.slice(0, -1));
  const last = path[path.length - 1];
  if (last === undefined) return;
  if (last.startsWith('f:')) {
    if (isObject(parent)) delete parent[last.slice(2)];
  } else if (Array.isArray(parent)) {
    const index = last.startsWith('k:')
      ? parent.findIndex((i) => matchesKey(i, last))
      : parent.findIndex((i) => JSON.stringify(i) === last.slice(2));
    if (index >= 0) parent.splice(index, 1);
  }
}

/** A FieldsV1 set without the given leaves (emptied branches pruned). */
export function withoutLeaves(
  set: JsonObject,
  removed: ReadonlySet<string>,
  prefix: FieldPath = [],
): JsonObject {
  const out: JsonObject = {};
  for (const [key, children] of Object.entries(set)) {
    if (key === '.') {
      out[key] = children;
      continue;
    }
    const path = [...prefix, key];
    const members = isObject(children) ? children : {};
    const nested = Object.keys(members).filter((k) => k !== '.');
    const selfRemoved = removed.has(pathKey(path));
    const kept = nested.length > 0 ? withoutLeaves(members, removed, path) : {};
    const keptNested = Object.keys(kept).filter((k) => k !== '.');
    if (nested.length === 0) {
      if (!selfRemoved) out[key] = children;
    } else if (keptNested.length > 0) {
      out[key] = selfRemoved ? Object.fromEntries(Object.entries(kept).filter(([k]) => k !== '.')) : kept;
    } else if ('.' in members && !selfRemoved) {
      out[key] = { '.': {} };
    }
  }
  return out;
}
