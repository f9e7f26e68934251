import { KubeApiError } from '../../kubeApiError.js';
import type { KubeObject } from '../../types.js';
import {
  describePath,
  type FieldPath,
  leavesOf,
  pathKey,
  removeAt,
  valueAt,
  withoutLeaves,
} from './fieldOwnership.js';
import { isObject, type JsonObject } from './jsonObject.js';
import { childPath, isDirective, type ListRules, listRulesOf, mergeMap } from './strategicMergePatch.js';

/** Fields that identify an object or that the server owns; managedFields never lists them. */
const UNMANAGED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'metadata.resourceVersion',
  'metadata.generation',
  'metadata.creationTimestamp',
  'metadata.deletionTimestamp',
  'metadata.managedFields',
]);

/**
 * Server-side apply (`application/apply-patch+yaml`): the result is `applied` strategic-merged onto
 * `existing` (a copy of `applied` when there is none), and `metadata.managedFields` gets, or has
 * replaced, one `{ manager, operation: 'Apply', apiVersion, time, fieldsType: 'FieldsV1', fieldsV1 }`
 * entry listing the applied fields in `f:`/`k:`/`v:` notation.
 *
 * Field ownership as in kube-apiserver, among appliers: setting a field another manager applied to a
 * different value is a 409 Conflict naming the manager and the field, unless `force` moves the field
 * to this manager; a field this manager applied before and applies no more is removed when no other
 * manager owns it. `now` stamps the entry's `time`.
 */
export function applyServerSideApply(
  existing: KubeObject | undefined,
  applied: KubeObject,
  fieldManager: string,
  force: boolean,
  now: Date = new Date(),
): KubeObject {
  const intent = structuredClone(applied);
  delete intent.metadata.managedFields;
  const rules = listRulesOf(applied.kind);
  const fields = fieldSetOf(intent, '', rules);
  const isMine = (e: JsonObject): boolean => e.manager === fieldManager && e.operation === 'Apply';
  const entries = (existing?.metadata.managedFields ?? []).filter(isObject);
  const previous = entries.find(isMine);
  const applying = leavesOf(fields);
  const conflicts = existing
    ? conflictsOf(
        existing,
        intent,
        applying,
        entries.filter((e) => !isMine(e)),
      )
    : [];
  if (conflicts.length > 0 && !force) throw conflictError(conflicts);
  const taken = new Set(conflicts.map((c) => pathKey(c.path)));
  /** Other managers' entries, without the fields forced away from them (dropped when none is left). */
  const strip = (e: JsonObject): JsonObject | undefined => {
    if (!isObject(e.fieldsV1) || !leavesOf(e.fieldsV1).some((path) => taken.has(pathKey(path)))) return e;
    const fieldsV1 = withoutLeaves(e.fieldsV1, taken);
    return Object.keys(fieldsV1).length > 0 ? { ...e, fieldsV1 } : undefined;
  };
  const remaining = entries.flatMap((e) => {
    const kept = isMine(e) ? e : strip(e);
    return kept ? [kept] : [];
  });
  const others = remaining.filter((e) => !isMine(e));
  const result = existing ? (mergeMap(structuredClone(existing), intent, '', rules) as KubeObject) : intent;
  if (previous && isObject(previous.fieldsV1)) {
    const kept = new Set(applying.map(pathKey));
    const ownedByOthers = new Set(
      others.flatMap((e) => (isObject(e.fieldsV1) ? leavesOf(e.fieldsV1) : [])).map(pathKey),
    );
    const dropped = leavesOf(previous.fieldsV1)
      .filter((path) => !kept.has(pathKey(path)) && !ownedByOthers.has(pathKey(path)))
      .sort((a, b) => b.length - a.length);
    for (const path of dropped) removeAt(result, path);
  }
  const entry = {
    manager: fieldManager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  result.metadata.managedFields = withApplyEntry(remaining, entry);
  return result;
}

interface FieldConflict {
  readonly manager: string;
  readonly path: FieldPath;
}

const sortedJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    isObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );

/** The fields being applied that other managers applied with a different value. */
function conflictsOf(
  existing: KubeObject,
  intent: KubeObject,
  applying: readonly FieldPath[],
  others: readonly JsonObject[],
): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  for (const other of others) {
    if (other.operation !== 'Apply' || !isObject(other.fieldsV1)) continue;
    const owned = new Set(leavesOf(other.fieldsV1).map(pathKey));
    for (const path of applying) {
      if (!owned.has(pathKey(path)) || path[path.length - 1]?.startsWith('k:')) continue;
      const before = valueAt(existing, path);
      if (before !== undefined && sortedJson(before) !== sortedJson(valueAt(intent, path))) {
        conflicts.push({ manager: String(other.manager), path });
      }
    }
  }
  return conflicts;
}

/** `Apply failed with 1 conflict: conflict with "web-team": .spec.replicas`, as kube-apiserver words it. */
function conflictError(conflicts: readonly FieldConflict[]): KubeApiError {
  const byManager = new Map<string, string[]>();
  for (const { manager, path } of conflicts)
    byManager.set(manager, [...(byManager.get(manager) ?? []), describePath(path)]);
  const parts = [...byManager].map(([manager, paths]) =>
    paths.length === 1
      ? `conflict with ${JSON.stringify(manager)}: ${paths[0]}`
      : `conflicts with ${JSON.stringify(manager)}:\n${paths.map((p) => `- ${p}`).join('\n')}`,
  );
  const n = conflicts.length;
  return new KubeApiError(
    'Conflict',
    `Apply failed with ${n} conflict${n === 1 ? '' : 's'}: ${parts.join('\n')}`,
    {
      causes: conflicts.map(({ manager, path }) => ({
        reason: 'FieldManagerConflict',
        message: `conflict with ${JSON.stringify(manager)}`,
        field: describePath(path),
      })),
    },
  );
}

function withApplyEntry(entries: readonly unknown[], entry: { manager: string }): unknown[] {
  const index = entries.findIndex(
    (e) => isObject(e) && e.manager === entry.manager && e.operation === 'Apply',
  );
  return index < 0 ? [...entries, entry] : entries.map((e, i) => (i === index ? entry : e));
}

/** The FieldsV1 set of an object: `f:<field>` for fields, `k:{"<mergeKey>":..}` and `v:<value>` for items. */
function fieldSetOf(obj: JsonObject, path: string, rules: ListRules): JsonObject {
  const set: JsonObject = {};
  for (const [field, value] of Object.entries(obj)) {
    const fieldPath = childPath(path, field);
    if (UNMANAGED_FIELDS.has(fieldPath) || isDirective(field)) continue;
    const members = membersOf(value, fieldPath, rules);
    if (fieldPath === 'metadata' && Object.keys(members).length === 0) continue;
    set[`f:${field}`] = members;
  }
  return set;
}

function membersOf(value: unknown, path: string, rules: ListRules): JsonObject {
  if (isObject(value)) return fieldSetOf(value, path, rules);
  const rule = rules.get(path);
  if (!Array.isArray(value) || rule === undefined) return {};
  if (rule === 'set') return Object.fromEntries(value.map((item) => [`v:${JSON.stringify(item)}`, {}]));
  return Object.fromEntries(
    value
      .filter(isObject)
      .map((item) => [
        `k:${JSON.stringify({ [rule.mergeKey]: item[rule.mergeKey] })}`,
        { '.': {}, ...fieldSetOf(item, path, rules) },
      ]),
  );
}
