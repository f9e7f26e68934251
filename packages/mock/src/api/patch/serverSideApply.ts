import type { KubeObject } from '../../types.js';
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
 * Server-side apply (`application/apply-patch+yaml`), simplified: the result is `applied`
 * strategic-merged onto `existing` (a copy of `applied` when there is none), and `metadata.managedFields`
 * gets, or has replaced, one `{ manager, operation: 'Apply', apiVersion, time, fieldsType: 'FieldsV1',
 * fieldsV1 }` entry listing the applied fields in `f:`/`k:`/`v:` notation.
 *
 * Unlike kube-apiserver there is no field ownership: no conflicts between managers are detected (so
 * `force` changes nothing), and a field a manager stops applying is kept rather than removed.
 * `now` stamps the entry's `time`.
 */
export function applyServerSideApply(
  existing: KubeObject | undefined,
  applied: KubeObject,
  fieldManager: string,
  _force: boolean,
  now: Date = new Date(),
): KubeObject {
  const intent = structuredClone(applied);
  delete intent.metadata.managedFields;
  const rules = listRulesOf(applied.kind);
  const result = existing ? (mergeMap(structuredClone(existing), intent, '', rules) as KubeObject) : intent;
  const entry = {
    manager: fieldManager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: fieldSetOf(intent, '', rules),
  };
  result.metadata.managedFields = withApplyEntry(existing?.metadata.managedFields ?? [], entry);
  return result;
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
