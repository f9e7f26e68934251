import { isDeepStrictEqual } from 'node:util';
import { badRequest } from '../../kubeApiError.js';
import { isObject, type JsonObject } from './jsonObject.js';

/** How a list merges: by the value of a key of its items, or as a set of primitives. Others are replaced. */
type ListRule = { readonly mergeKey: string } | 'set';
export type ListRules = ReadonlyMap<string, ListRule>;
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

export function listRulesOf(kind: string): ListRules {
  return new Map([...COMMON_LISTS, ...(KIND_LISTS[kind] ?? [])]);
}

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

export function isDirective(field: string): boolean {
  return (
    field === PATCH ||
    field === RETAIN_KEYS ||
    field.startsWith(SET_ELEMENT_ORDER) ||
    field.startsWith(DELETE_FROM_PRIMITIVE_LIST)
  );
}

export const childPath = (path: string, field: string): string => (path ? `${path}.${field}` : field);

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

export function mergeMap(
  original: JsonObject,
  patch: JsonObject,
  path: string,
  rules: ListRules,
): JsonObject {
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
