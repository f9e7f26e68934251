import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../types.js';
import { badRequest, KubeApiError } from './status.js';

/** The four PATCH flavours kube-apiserver accepts, told apart by the request's Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a Content-Type header (parameters such as `; charset=utf-8` are ignored). */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType ? PATCH_TYPES[mediaType] : undefined;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------
// JSON patch (RFC 6902)

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OpName = (typeof OPS)[number];

interface Pointer {
  readonly text: string;
  readonly tokens: readonly string[];
}

interface Operation {
  readonly op: OpName;
  readonly path: Pointer;
  readonly from: Pointer;
  readonly value: unknown;
}

/**
 * Applies an RFC 6902 JSON patch (client-node's default patch) and returns a new document; the input
 * is never changed.
 * @throws KubeApiError 400 BadRequest for malformed operations, 422 Invalid when an operation does not
 * apply (a missing path, an index out of range, a failed `test`).
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  return parseOperations(ops).reduce(applyOperation, structuredClone(doc));
}

function parseOperations(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw badRequest(
      'a JSON patch must be a list of operations, such as [{"op":"add","path":"/a","value":1}]',
    );
  }
  return ops.map(parseOperation);
}

function isOpName(op: unknown): op is OpName {
  return (OPS as readonly unknown[]).includes(op);
}

function parseOperation(raw: unknown, index: number): Operation {
  const where = `JSON patch operation ${index}`;
  if (!isObject(raw)) throw badRequest(`${where} is not an object`);
  const { op } = raw;
  if (!isOpName(op)) {
    throw badRequest(`${where} has op ${JSON.stringify(op)}; use add, remove, replace, move, copy or test`);
  }
  const needsValue = op === 'add' || op === 'replace' || op === 'test';
  if (needsValue && !Object.hasOwn(raw, 'value')) throw badRequest(`${where} (${op}) has no "value"`);
  const needsFrom = op === 'move' || op === 'copy';
  return {
    op,
    path: parsePointer(raw.path, `${where} (${op}): "path"`),
    from: needsFrom ? parsePointer(raw.from, `${where} (${op}): "from"`) : { text: '', tokens: [] },
    value: structuredClone(raw.value),
  };
}

function parsePointer(raw: unknown, what: string): Pointer {
  if (typeof raw !== 'string') throw badRequest(`${what} must be a string`);
  if (raw !== '' && !raw.startsWith('/')) {
    throw badRequest(
      `${what} ${JSON.stringify(raw)} is not a JSON pointer: it must be empty or start with "/"`,
    );
  }
  if (/~([^01]|$)/.test(raw)) {
    throw badRequest(`${what} ${JSON.stringify(raw)} has a bad escape: write "~" as ~0 and "/" as ~1`);
  }
  const tokens =
    raw === ''
      ? []
      : raw
          .slice(1)
          .split('/')
          .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  return { text: raw, tokens };
}

function applyOperation(doc: unknown, { op, path, from, value }: Operation): unknown {
  switch (op) {
    case 'add':
      return add(doc, path, value, op);
    case 'remove':
      return remove(doc, path, op);
    case 'replace':
      return replace(doc, path, value);
    case 'copy':
      return add(doc, path, structuredClone(valueAt(doc, from, op, 'from')), op);
    case 'move': {
      if (path.text.startsWith(`${from.text}/`)) {
        throw unprocessable(
          `move operation does not apply: ${from.text} cannot move into its own child ${path.text}`,
        );
      }
      const moved = valueAt(doc, from, op, 'from');
      return add(remove(doc, from, op), path, moved, op);
    }
    case 'test':
      if (!isDeepStrictEqual(valueAt(doc, path, op, 'path'), value)) {
        throw unprocessable(`testing value ${path.text} failed: test failed`);
      }
      return doc;
  }
}

function unprocessable(message: string): KubeApiError {
  return new KubeApiError('Invalid', message);
}

function missing(op: OpName, pointer: Pointer, role: 'path' | 'from'): KubeApiError {
  return unprocessable(
    `${op} operation does not apply: doc is missing ${role}: ${pointer.text}: missing value`,
  );
}

const INDEX = /^(0|[1-9][0-9]*)$/;

function child(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return INDEX.test(token) ? value[Number(token)] : undefined;
  return isObject(value) && Object.hasOwn(value, token) ? value[token] : undefined;
}

function valueAt(doc: unknown, pointer: Pointer, op: OpName, role: 'path' | 'from'): unknown {
  let current = doc;
  for (const token of pointer.tokens) {
    current = child(current, token);
    if (current === undefined) throw missing(op, pointer, role);
  }
  return current;
}

/** The array or object that holds the last token of a non-empty pointer, and that token. */
function parentOf(
  doc: unknown,
  pointer: Pointer,
  op: OpName,
): { parent: unknown[] | JsonObject; key: string } {
  const parent = valueAt(doc, { text: pointer.text, tokens: pointer.tokens.slice(0, -1) }, op, 'path');
  if (!Array.isArray(parent) && !isObject(parent)) throw missing(op, pointer, 'path');
  return { parent, key: pointer.tokens.at(-1) ?? '' };
}

function existingIndex(list: unknown[], key: string, op: OpName, pointer: Pointer): number {
  if (!INDEX.test(key) || Number(key) >= list.length) throw missing(op, pointer, 'path');
  return Number(key);
}

function add(doc: unknown, pointer: Pointer, value: unknown, op: OpName): unknown {
  if (pointer.tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, pointer, op);
  if (!Array.isArray(parent)) {
    parent[key] = value;
  } else if (key === '-') {
    parent.push(value);
  } else if (INDEX.test(key) && Number(key) <= parent.length) {
    parent.splice(Number(key), 0, value);
  } else {
    throw unprocessable(`${op} operation does not apply: index out of range: ${pointer.text}`);
  }
  return doc;
}

function remove(doc: unknown, pointer: Pointer, op: OpName): unknown {
  if (pointer.tokens.length === 0)
    throw unprocessable(`${op} operation does not apply: cannot remove the document`);
  const { parent, key } = parentOf(doc, pointer, op);
  if (Array.isArray(parent)) parent.splice(existingIndex(parent, key, op, pointer), 1);
  else if (Object.hasOwn(parent, key)) delete parent[key];
  else throw missing(op, pointer, 'path');
  return doc;
}

function replace(doc: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, pointer, 'replace');
  if (Array.isArray(parent)) parent[existingIndex(parent, key, 'replace', pointer)] = value;
  else if (Object.hasOwn(parent, key)) parent[key] = value;
  else throw missing('replace', pointer, 'path');
  return doc;
}

// ---------------------------------------------------------------------------------------------------
// JSON merge patch (RFC 7386)

/** Applies an RFC 7386 merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergePatchInto(structuredClone(doc), structuredClone(patch));
}

function mergePatchInto(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchInto(result[key], value);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Strategic merge patch

/** How a list merges: by the value of a key of its items, or as a set of primitives. Others are replaced. */
type ListRule = { readonly mergeKey: string } | 'set';
type ListRules = ReadonlyMap<string, ListRule>;
type ListRuleEntry = readonly [fieldPath: string, rule: ListRule];

const byKey = (mergeKey: string): ListRule => ({ mergeKey });

function containerLists(path: string): ListRuleEntry[] {
  return [
    [path, byKey('name')],
    [`${path}.ports`, byKey('containerPort')],
    [`${path}.env`, byKey('name')],
    [`${path}.volumeMounts`, byKey('mountPath')],
    [`${path}.volumeDevices`, byKey('devicePath')],
  ];
}

function podSpecLists(spec: string): ListRuleEntry[] {
  return [
    ...containerLists(`${spec}.containers`),
    ...containerLists(`${spec}.initContainers`),
    ...containerLists(`${spec}.ephemeralContainers`),
    [`${spec}.volumes`, byKey('name')],
    [`${spec}.imagePullSecrets`, byKey('name')],
    [`${spec}.hostAliases`, byKey('ip')],
    [`${spec}.topologySpreadConstraints`, byKey('topologyKey')],
    [`${spec}.resourceClaims`, byKey('name')],
    [`${spec}.schedulingGates`, byKey('name')],
  ];
}

/** The `patchStrategy`/`patchMergeKey` tags of the Kubernetes types, by field path and kind. */
const COMMON_LISTS: readonly ListRuleEntry[] = [
  ['metadata.ownerReferences', byKey('uid')],
  ['metadata.finalizers', 'set'],
  ['status.conditions', byKey('type')],
];

const KIND_LISTS: Readonly<Record<string, readonly ListRuleEntry[]>> = {
  Pod: [...podSpecLists('spec'), ['status.podIPs', byKey('ip')], ['status.hostIPs', byKey('ip')]],
  Deployment: podSpecLists('spec.template.spec'),
  ReplicaSet: podSpecLists('spec.template.spec'),
  Service: [['spec.ports', byKey('port')]],
  ServiceAccount: [['secrets', byKey('name')]],
  Node: [
    ['spec.podCIDRs', 'set'],
    ['status.addresses', byKey('type')],
  ],
};

function listRulesOf(kind: string): ListRules {
  return new Map([...COMMON_LISTS, ...(KIND_LISTS[kind] ?? [])]);
}

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

function isDirective(field: string): boolean {
  return (
    field === PATCH ||
    field === RETAIN_KEYS ||
    field.startsWith(SET_ELEMENT_ORDER) ||
    field.startsWith(DELETE_FROM_PRIMITIVE_LIST)
  );
}

const childPath = (path: string, field: string): string => (path ? `${path}.${field}` : field);

/**
 * Applies a strategic merge patch, kubectl's default: maps merge recursively and `null` deletes; lists
 * merge by their Kubernetes merge key (containers, env, volumes and ports by name or number,
 * ownerReferences by uid, conditions by type, finalizers as a set), other lists are replaced. The
 * directives `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>` are honoured and never kept. `kind` picks the merge keys: `spec.ports`
 * of a Service merge by `port`. `$setElementOrder` puts the listed items first, in its order, and keeps
 * the others after them in their current order.
 * @throws KubeApiError 400 BadRequest for a patch that is not an object or misuses a directive.
 */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, kind: string): unknown {
  if (!isObject(patch)) throw badRequest('a strategic merge patch must be a JSON object');
  const base = isObject(doc) ? structuredClone(doc) : {};
  return mergeMap(base, structuredClone(patch), '', listRulesOf(kind));
}

/** Merges `patch` into `original`, which it may change; `undefined` means "delete this field". */
function mergeValue(original: unknown, patch: unknown, path: string, rules: ListRules): unknown {
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, path, rules);
  if (!isObject(patch)) return patch;
  if (patch[PATCH] === 'delete') return undefined;
  return mergeMap(isObject(original) ? original : {}, patch, path, rules);
}

function mergeMap(original: JsonObject, patch: JsonObject, path: string, rules: ListRules): JsonObject {
  const directive = patch[PATCH];
  if (directive !== undefined && directive !== 'merge' && directive !== 'replace' && directive !== 'delete') {
    throw badRequest(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  if (directive === 'delete') return {};
  const result = directive === 'replace' ? {} : original;
  deleteFromPrimitiveLists(result, patch);
  for (const [field, value] of Object.entries(patch)) {
    if (isDirective(field)) continue;
    const merged =
      value === null ? undefined : mergeValue(result[field], value, childPath(path, field), rules);
    if (merged === undefined) delete result[field];
    else result[field] = merged;
  }
  setElementOrder(result, patch, path, rules);
  retainKeys(result, patch[RETAIN_KEYS]);
  return result;
}

function isReplaceDirective(item: unknown): boolean {
  return isObject(item) && item[PATCH] === 'replace';
}

function mergeList(original: unknown[], patch: unknown[], path: string, rules: ListRules): unknown[] {
  const rule = rules.get(path);
  if (rule === 'set') return [...new Set([...original, ...patch])];
  if (rule === undefined || patch.some(isReplaceDirective)) {
    return patch
      .filter((item) => !isReplaceDirective(item))
      .map((item) => mergeValue(undefined, item, path, rules))
      .filter((item) => item !== undefined);
  }
  let result = original;
  for (const item of patch) {
    if (!isObject(item)) {
      throw badRequest(`${path}: ${JSON.stringify(item)} is not an object with "${rule.mergeKey}"`);
    }
    const id = item[rule.mergeKey];
    const sameId = (existing: unknown) =>
      isObject(existing) && isDeepStrictEqual(existing[rule.mergeKey], id);
    if (item[PATCH] === 'delete') {
      result = result.filter((existing) => !sameId(existing));
      continue;
    }
    if (id === undefined) {
      throw badRequest(`map: ${JSON.stringify(item)} does not contain declared merge key: ${rule.mergeKey}`);
    }
    const index = result.findIndex(sameId);
    const existing = result[index];
    if (isObject(existing)) result[index] = mergeMap(existing, item, path, rules);
    else result.push(mergeMap({}, item, path, rules));
  }
  return result;
}

function directiveList(patch: JsonObject, directive: string): unknown[] {
  const value = patch[directive];
  if (!Array.isArray(value)) throw badRequest(`${directive} must be a list`);
  return value;
}

function deleteFromPrimitiveLists(result: JsonObject, patch: JsonObject): void {
  for (const directive of Object.keys(patch).filter((f) => f.startsWith(DELETE_FROM_PRIMITIVE_LIST))) {
    const doomed = directiveList(patch, directive);
    const field = directive.slice(DELETE_FROM_PRIMITIVE_LIST.length);
    const list = result[field];
    if (Array.isArray(list)) result[field] = list.filter((v) => !doomed.some((d) => isDeepStrictEqual(d, v)));
  }
}

function setElementOrder(result: JsonObject, patch: JsonObject, path: string, rules: ListRules): void {
  for (const directive of Object.keys(patch).filter((f) => f.startsWith(SET_ELEMENT_ORDER))) {
    const order = directiveList(patch, directive);
    const field = directive.slice(SET_ELEMENT_ORDER.length);
    const list = result[field];
    if (!Array.isArray(list)) continue;
    const rule = rules.get(childPath(path, field));
    const identity = (item: unknown) =>
      JSON.stringify(rule && rule !== 'set' && isObject(item) ? item[rule.mergeKey] : item);
    const rank = new Map(order.map((item, i) => [identity(item), i]));
    const rankOf = (item: unknown) => rank.get(identity(item)) ?? order.length;
    result[field] = [...list].sort((a, b) => rankOf(a) - rankOf(b));
  }
}

function retainKeys(result: JsonObject, keys: unknown): void {
  if (keys === undefined) return;
  if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
    throw badRequest(`${RETAIN_KEYS} must be a list of field names`);
  }
  for (const field of Object.keys(result)) if (!keys.includes(field)) delete result[field];
}

// ---------------------------------------------------------------------------------------------------
// Server-side apply

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
