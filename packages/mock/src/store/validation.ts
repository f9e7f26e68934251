import {
  dns1123SubdomainErrors,
  labelKeyErrors,
  labelValueErrors,
  maxLength,
  regexError,
} from '@kubesmart/selectors';
import { badRequest, invalid } from '../kubeApiError.js';
import type { KubeObject, StatusCause } from '../types.js';
import type { ResourceType } from './resources.js';

export { labelKeyErrors, labelValueErrors };

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** A DNS-1123 label: at most 63 characters of `[a-z0-9-]`, alphanumeric at both ends (namespace names). */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && DNS1123_LABEL.test(s);
}

/** A DNS-1123 subdomain: at most 253 characters, dot-separated DNS-1123 labels (most object names). */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && DNS1123_SUBDOMAIN.test(s);
}

/** A ConfigMap or Secret key: at most 253 characters of `[-._a-zA-Z0-9]`, and not `.`, `..` or `..*`. */
export function isConfigMapKey(s: string): boolean {
  return s.length <= 253 && CONFIG_MAP_KEY.test(s) && !s.startsWith('..') && s !== '.';
}

/** The largest ConfigMap or Secret payload kube-apiserver accepts. */
const MAX_DATA_BYTES = 1024 * 1024;
const MAX_ANNOTATION_BYTES = 256 * 1024;

function dns1123LabelErrors(s: string): string[] {
  const errors = s.length > 63 ? [maxLength(63)] : [];
  if (DNS1123_LABEL.test(s)) return errors;
  if (DNS1123_SUBDOMAIN.test(s)) return [...errors, 'must not contain dots'];
  return [
    ...errors,
    regexError(
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      DNS1123_LABEL,
      'my-name',
      '123-abc',
    ),
  ];
}

function dns1035LabelErrors(s: string): string[] {
  const errors = s.length > 63 ? [maxLength(63)] : [];
  if (!DNS1035_LABEL.test(s)) {
    errors.push(
      regexError(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
        DNS1035_LABEL,
        'my-name',
        'abc-123',
      ),
    );
  }
  return errors;
}

function configMapKeyErrors(s: string): string[] {
  const errors = s.length > 253 ? [maxLength(253)] : [];
  if (!CONFIG_MAP_KEY.test(s)) {
    errors.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_MAP_KEY,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  }
  if (s === '.') errors.push("must not be '.'");
  else if (s === '..') errors.push("must not be '..'");
  else if (s.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** Go's `%q` for the values this module reports: JSON quoting matches it for printable text. */
const quote = (value: string): string => JSON.stringify(value);

function invalidValue(field: string, value: string, detail: string): StatusCause {
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${quote(value)}: ${detail}`, field };
}

function required(field: string, detail: string): StatusCause {
  return {
    reason: 'FieldValueRequired',
    message: detail ? `Required value: ${detail}` : 'Required value',
    field,
  };
}

function tooLong(field: string, limit: number): StatusCause {
  return { reason: 'FieldValueTooLong', message: `Too long: must have at most ${limit} bytes`, field };
}

type NameRule = (name: string) => string[];

/** Namespaces are DNS-1123 labels and Services DNS-1035 labels (kube-apiserver 1.33); others subdomains. */
const NAME_RULES: Readonly<Record<string, NameRule>> = {
  Namespace: dns1123LabelErrors,
  Service: dns1035LabelErrors,
};

/**
 * Validates an object before it is stored, like kube-apiserver's create and update validation.
 *
 * Shapes that kube-apiserver rejects while decoding the body (a ConfigMap value that is not a string,
 * Secret data that is not base64) throw first, as 400 BadRequest: `Secret in version "v1" cannot be
 * handled as a Secret: illegal base64 data at input byte 4`. Then every rule violation is collected
 * and thrown as one 422 Invalid with one cause per problem: names (DNS-1123 subdomain; label for
 * Namespace, DNS-1035 label for Service), label keys and values, annotation keys and total size
 * (256 KiB), ConfigMap/Secret keys and total size (1 MiB), and `spec.selector` of Deployments and
 * ReplicaSets. `metadata.generateName` is accepted in place of a name.
 */
export function validateObject(rt: ResourceType, obj: KubeObject): void {
  checkDecodable(rt, obj);
  const causes = [...metadataCauses(rt, obj), ...kindCauses(rt.kind, obj)];
  if (causes.length) {
    throw invalid(rt.kind, obj.metadata.name ?? obj.metadata.generateName ?? '', causes, rt.group);
  }
}

function metadataCauses(rt: ResourceType, obj: KubeObject): StatusCause[] {
  const { name, generateName, namespace, labels, annotations } = obj.metadata;
  const nameRule = NAME_RULES[rt.kind] ?? dns1123SubdomainErrors;
  const causes: StatusCause[] = [];
  if (generateName) {
    const masked = maskTrailingDash(generateName);
    causes.push(...nameRule(masked).map((e) => invalidValue('metadata.generateName', generateName, e)));
  }
  if (name) {
    causes.push(...nameRule(name).map((e) => invalidValue('metadata.name', name, e)));
  } else if (!generateName && !rt.virtual) {
    causes.push(required('metadata.name', 'name or generateName is required'));
  }
  if (rt.namespaced && namespace) {
    causes.push(
      ...dns1123LabelErrors(namespace).map((e) => invalidValue('metadata.namespace', namespace, e)),
    );
  }
  for (const [key, value] of Object.entries(labels ?? {})) {
    causes.push(...labelKeyErrors(key).map((e) => invalidValue('metadata.labels', key, e)));
    causes.push(...labelValueErrors(value).map((e) => invalidValue('metadata.labels', value, e)));
  }
  causes.push(...annotationCauses(annotations ?? {}));
  return causes;
}

/** kube-apiserver validates a `generateName` as a name with its trailing `-` (and one more) as `a`. */
function maskTrailingDash(prefix: string): string {
  return prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -2)}a` : prefix;
}

function annotationCauses(annotations: Record<string, string>): StatusCause[] {
  const causes = Object.keys(annotations).flatMap((key) =>
    labelKeyErrors(key.toLowerCase()).map((e) => invalidValue('metadata.annotations', key, e)),
  );
  const size = Object.entries(annotations).reduce((sum, [k, v]) => sum + byteLength(k) + byteLength(v), 0);
  if (size > MAX_ANNOTATION_BYTES) causes.push(tooLong('metadata.annotations', MAX_ANNOTATION_BYTES));
  return causes;
}

function kindCauses(kind: string, obj: KubeObject): StatusCause[] {
  switch (kind) {
    case 'ConfigMap':
      return configMapCauses(obj);
    case 'Secret':
      return secretCauses(obj);
    case 'Deployment':
    case 'ReplicaSet':
      return (obj.spec as { selector?: unknown } | undefined)?.selector
        ? []
        : [required('spec.selector', '')];
    default:
      return [];
  }
}

function keyCauses(field: string, keys: string[]): StatusCause[] {
  return keys.flatMap((key) => configMapKeyErrors(key).map((e) => invalidValue(`${field}[${key}]`, key, e)));
}

function configMapCauses(obj: KubeObject): StatusCause[] {
  const data = stringMap(obj.data);
  const binaryData = stringMap(obj.binaryData);
  const causes = [
    ...keyCauses('data', Object.keys(data)),
    ...keyCauses('binaryData', Object.keys(binaryData)),
  ];
  for (const key of Object.keys(data)) {
    if (Object.hasOwn(binaryData, key)) {
      causes.push(invalidValue(`data[${key}]`, key, 'duplicate of key present in binaryData'));
    }
  }
  const size =
    sumOf(Object.values(data).map(byteLength)) + sumOf(Object.values(binaryData).map(base64ByteLength));
  if (size > MAX_DATA_BYTES) causes.push(tooLong('', MAX_DATA_BYTES));
  return causes;
}

/** `stringData` is folded into `data` by kube-apiserver before validation, so it counts as `data`. */
function secretCauses(obj: KubeObject): StatusCause[] {
  const sizes = new Map<string, number>();
  for (const [key, value] of Object.entries(stringMap(obj.data))) sizes.set(key, base64ByteLength(value));
  for (const [key, value] of Object.entries(stringMap(obj.stringData))) sizes.set(key, byteLength(value));
  const causes = keyCauses('data', [...sizes.keys()]);
  if (sumOf([...sizes.values()]) > MAX_DATA_BYTES) causes.push(tooLong('data', MAX_DATA_BYTES));
  return causes;
}

/** A string-keyed map of the body, with the Go type of its values. */
interface TypedMap {
  readonly goField: string;
  readonly value: unknown;
  readonly valueType: 'string' | '[]uint8';
}

function typedMaps(kind: string, obj: KubeObject): TypedMap[] {
  const maps: TypedMap[] = [
    { goField: 'ObjectMeta.metadata.labels', value: obj.metadata.labels, valueType: 'string' },
    { goField: 'ObjectMeta.metadata.annotations', value: obj.metadata.annotations, valueType: 'string' },
  ];
  if (kind === 'ConfigMap') {
    maps.push({ goField: 'ConfigMap.data', value: obj.data, valueType: 'string' });
    maps.push({ goField: 'ConfigMap.binaryData', value: obj.binaryData, valueType: '[]uint8' });
  }
  if (kind === 'Secret') {
    maps.push({ goField: 'Secret.data', value: obj.data, valueType: '[]uint8' });
    maps.push({ goField: 'Secret.stringData', value: obj.stringData, valueType: 'string' });
  }
  return maps;
}

/** Throws the 400 kube-apiserver answers when the JSON body does not fit its Go types. */
function checkDecodable(rt: ResourceType, obj: KubeObject): void {
  for (const map of typedMaps(rt.kind, obj)) {
    const problem = decodeProblem(map);
    if (problem) {
      throw badRequest(
        `${rt.kind} in version ${quote(rt.version)} cannot be handled as a ${rt.kind}: ${problem}`,
      );
    }
  }
}

function decodeProblem({ goField, value, valueType }: TypedMap): string | undefined {
  if (value === undefined || value === null) return undefined;
  const cannotUnmarshal = (found: unknown, goType: string) =>
    `json: cannot unmarshal ${jsonTypeName(found)} into Go struct field ${goField} of type ${goType}`;
  if (typeof value !== 'object' || Array.isArray(value)) {
    return cannotUnmarshal(value, `map[string]${valueType}`);
  }
  for (const item of Object.values(value)) {
    if (item === null) continue;
    if (typeof item !== 'string') return cannotUnmarshal(item, valueType);
    const offset = valueType === '[]uint8' ? base64ErrorOffset(item) : undefined;
    if (offset !== undefined) return `illegal base64 data at input byte ${offset}`;
  }
  return undefined;
}

function jsonTypeName(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  return typeof value === 'boolean' ? 'bool' : typeof value;
}

function stringMap(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object') return {};
  return Object.fromEntries(
    Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}

const BASE64_CHAR = /^[A-Za-z0-9+/]$/;

/**
 * Where Go's `base64.StdEncoding` (the decoder of JSON `[]byte`) rejects `s`, or undefined when it
 * decodes: line breaks are skipped and padding is required.
 */
function base64ErrorOffset(s: string): number | undefined {
  let inQuantum = 0;
  for (let i = 0; i < s.length; i += 1) {
    const c = s[i] ?? '';
    if (c === '\n' || c === '\r') continue;
    if (c === '=') return paddingErrorOffset(s, i, inQuantum);
    if (!BASE64_CHAR.test(c)) return i;
    inQuantum = (inQuantum + 1) % 4;
  }
  return inQuantum === 0 ? undefined : s.length - inQuantum;
}

/** `s[at]` is the first `=`, found after `inQuantum` characters of a 4-character group. */
function paddingErrorOffset(s: string, at: number, inQuantum: number): number | undefined {
  if (inQuantum < 2) return at;
  let next = skipLineBreaks(s, at + 1);
  if (inQuantum === 2) {
    if (next === s.length) return s.length;
    if (s[next] !== '=') return next - 1;
    next = skipLineBreaks(s, next + 1);
  }
  return next < s.length ? next : undefined;
}

function skipLineBreaks(s: string, from: number): number {
  let i = from;
  while (s[i] === '\n' || s[i] === '\r') i += 1;
  return i;
}

function base64ByteLength(value: string): number {
  return Buffer.from(value, 'base64').length;
}

function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

function sumOf(numbers: number[]): number {
  return numbers.reduce((a, b) => a + b, 0);
}
