import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { KubeObject } from '../types.js';

/**
 * Decodes the `application/vnd.kubernetes.protobuf` bodies that kubectl 1.32+ sends for its generator
 * commands (`kubectl create configmap|secret|namespace|service|serviceaccount|deployment`) into the
 * JSON the same object has on the wire. The body is the magic `k8s\0` and a `runtime.Unknown`
 * envelope: `typeMeta` {apiVersion, kind} and `raw`, the object's own protobuf message.
 */

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/** True when the body starts with the `k8s\0` magic of Kubernetes protobuf. */
export function isKubeProtobuf(body: Uint8Array): boolean {
  return MAGIC.every((byte, i) => body[i] === byte);
}

/**
 * The JSON form of a Kubernetes protobuf body, with `apiVersion` and `kind` from its envelope and
 * empty fields omitted.
 * @throws KubeApiError 415 UnsupportedMediaType for a kind without a schema here, 400 BadRequest for
 * bytes that are not a well-formed Kubernetes protobuf message.
 */
export function decodeKubeProtobuf(body: Uint8Array): KubeObject {
  if (!isKubeProtobuf(body)) {
    throw badRequest('the body is not Kubernetes protobuf: it lacks the "k8s\\0" prefix');
  }
  const envelope = decodeMessage(body.subarray(MAGIC.length), UNKNOWN);
  const { apiVersion = '', kind = '' } = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  if (envelope.contentEncoding) {
    throw new KubeApiError(
      'UnsupportedMediaType',
      `protobuf bodies with contentEncoding ${envelope.contentEncoding} are not decoded; send JSON (application/json) instead`,
    );
  }
  const schema = KINDS[`${apiVersion}/${kind}`];
  if (!schema) throw unsupportedKind(kind);
  const raw = envelope.raw instanceof Uint8Array ? envelope.raw : new Uint8Array();
  return { apiVersion, kind, metadata: {}, ...decodeMessage(raw, schema) };
}

function unsupportedKind(kind: string): KubeApiError {
  const decoded = Object.keys(KINDS).map((key) => key.split('/').at(-1));
  return new KubeApiError(
    'UnsupportedMediaType',
    `protobuf bodies are decoded for ${decoded.join(', ')} only, not ${kind || 'an object without a kind'}; send JSON (application/json) instead`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Wire format

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

interface WireField {
  readonly number: number;
  readonly wireType: number;
  /** The value of a varint field. */
  readonly varint: bigint;
  /** The payload of a length-delimited field. */
  readonly bytes: Uint8Array;
}

function malformed(detail: string): KubeApiError {
  return badRequest(`the protobuf body is malformed: ${detail}`);
}

class WireReader {
  #offset = 0;

  constructor(private readonly buffer: Uint8Array) {}

  *fields(): Generator<WireField> {
    while (this.#offset < this.buffer.length) {
      const tag = this.#varint();
      const number = Number(tag >> 3n);
      const wireType = Number(tag & 7n);
      if (wireType === VARINT) {
        yield { number, wireType, varint: this.#varint(), bytes: new Uint8Array() };
      } else if (wireType === LENGTH_DELIMITED) {
        yield { number, wireType, varint: 0n, bytes: this.#take(Number(this.#varint())) };
      } else if (wireType === FIXED64 || wireType === FIXED32) {
        this.#take(wireType === FIXED64 ? 8 : 4); // no field decoded here is fixed-width
      } else {
        throw malformed(`field ${number} has unsupported wire type ${wireType}`);
      }
    }
  }

  #varint(): bigint {
    let value = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      const byte = this.buffer[this.#offset];
      if (byte === undefined) throw malformed('it ends inside a varint');
      this.#offset += 1;
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
    throw malformed('a varint is longer than 10 bytes');
  }

  #take(length: number): Uint8Array {
    if (this.#offset + length > this.buffer.length) throw malformed('a field is longer than the body');
    const bytes = this.buffer.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return bytes;
  }
}

// ---------------------------------------------------------------------------------------------------
// Schemas

/**
 * Scalars read as Go's JSON would write them. `int` and `bool` are Go values that are always on the
 * wire and omitted from JSON when zero; `optionalInt` and `optionalBool` are Go pointers, on the wire
 * only when set and then kept even when zero. `bytes` become base64 text, as in JSON; `raw` stays
 * bytes (the envelope's nested object).
 */
type Scalar =
  | 'string'
  | 'bytes'
  | 'raw'
  | 'int'
  | 'optionalInt'
  | 'bool'
  | 'optionalBool'
  | 'time'
  | 'intOrString';
type ValueType = Scalar | MessageSchema;
type MapValueType = 'string' | 'bytes';

interface FieldSpec {
  readonly json: string;
  readonly type: ValueType;
  readonly shape?: 'repeated' | 'map';
}

/** Field number -> field, after k8s.io/api's `generated.proto`. Fields not listed are skipped. */
type MessageSchema = { readonly [fieldNumber: number]: FieldSpec };

const field = (json: string, type: ValueType): FieldSpec => ({ json, type });
const repeated = (json: string, type: ValueType): FieldSpec => ({ json, type, shape: 'repeated' });
const map = (json: string, type: MapValueType): FieldSpec => ({ json, type, shape: 'map' });

/** A map entry on the wire: `map<string, V>` is `repeated { key = 1; value = 2 }`. */
const mapEntry = (value: ValueType): MessageSchema => ({
  1: field('key', 'string'),
  2: field('value', value),
});

const UNKNOWN: MessageSchema = {
  1: field('typeMeta', { 1: field('apiVersion', 'string'), 2: field('kind', 'string') }),
  2: field('raw', 'raw'),
  3: field('contentEncoding', 'string'),
};

const OWNER_REFERENCE: MessageSchema = {
  1: field('kind', 'string'),
  3: field('name', 'string'),
  4: field('uid', 'string'),
  5: field('apiVersion', 'string'),
  6: field('controller', 'optionalBool'),
  7: field('blockOwnerDeletion', 'optionalBool'),
};

const OBJECT_META: MessageSchema = {
  1: field('name', 'string'),
  2: field('generateName', 'string'),
  3: field('namespace', 'string'),
  5: field('uid', 'string'),
  6: field('resourceVersion', 'string'),
  7: field('generation', 'int'),
  8: field('creationTimestamp', 'time'),
  11: map('labels', 'string'),
  12: map('annotations', 'string'),
  13: repeated('ownerReferences', OWNER_REFERENCE),
  14: repeated('finalizers', 'string'),
};

const METADATA = field('metadata', OBJECT_META);

const CONFIG_MAP: MessageSchema = {
  1: METADATA,
  2: map('data', 'string'),
  3: map('binaryData', 'bytes'),
  4: field('immutable', 'optionalBool'),
};

const SECRET: MessageSchema = {
  1: METADATA,
  2: map('data', 'bytes'),
  3: field('type', 'string'),
  4: map('stringData', 'string'),
  5: field('immutable', 'optionalBool'),
};

const NAMESPACE: MessageSchema = {
  1: METADATA,
  2: field('spec', { 1: repeated('finalizers', 'string') }),
  3: field('status', { 1: field('phase', 'string') }),
};

const SERVICE_PORT: MessageSchema = {
  1: field('name', 'string'),
  2: field('protocol', 'string'),
  3: field('port', 'int'),
  4: field('targetPort', 'intOrString'),
  5: field('nodePort', 'int'),
  6: field('appProtocol', 'string'),
};

const SERVICE: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    1: repeated('ports', SERVICE_PORT),
    2: map('selector', 'string'),
    3: field('clusterIP', 'string'),
    4: field('type', 'string'),
    5: repeated('externalIPs', 'string'),
    7: field('sessionAffinity', 'string'),
    10: field('externalName', 'string'),
    18: repeated('clusterIPs', 'string'),
  }),
};

const LOCAL_OBJECT_REFERENCE: MessageSchema = { 1: field('name', 'string') };

const SERVICE_ACCOUNT: MessageSchema = {
  1: METADATA,
  3: repeated('imagePullSecrets', LOCAL_OBJECT_REFERENCE),
  4: field('automountServiceAccountToken', 'optionalBool'),
};

const CONTAINER: MessageSchema = {
  1: field('name', 'string'),
  2: field('image', 'string'),
  3: repeated('command', 'string'),
  4: repeated('args', 'string'),
  5: field('workingDir', 'string'),
  6: repeated('ports', {
    1: field('name', 'string'),
    2: field('hostPort', 'int'),
    3: field('containerPort', 'int'),
    4: field('protocol', 'string'),
    5: field('hostIP', 'string'),
  }),
  7: repeated('env', { 1: field('name', 'string'), 2: field('value', 'string') }),
  14: field('imagePullPolicy', 'string'),
};

const LABEL_SELECTOR: MessageSchema = {
  1: map('matchLabels', 'string'),
  2: repeated('matchExpressions', {
    1: field('key', 'string'),
    2: field('operator', 'string'),
    3: repeated('values', 'string'),
  }),
};

const POD_TEMPLATE: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    2: repeated('containers', CONTAINER),
    3: field('restartPolicy', 'string'),
    8: field('serviceAccountName', 'string'),
  }),
};

const JOB: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    1: field('parallelism', 'optionalInt'),
    2: field('completions', 'optionalInt'),
    3: field('activeDeadlineSeconds', 'optionalInt'),
    4: field('selector', LABEL_SELECTOR),
    5: field('manualSelector', 'optionalBool'),
    6: field('template', POD_TEMPLATE),
    7: field('backoffLimit', 'optionalInt'),
    8: field('ttlSecondsAfterFinished', 'optionalInt'),
    9: field('completionMode', 'string'),
    10: field('suspend', 'optionalBool'),
  }),
};

const DEPLOYMENT: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    1: field('replicas', 'optionalInt'),
    2: field('selector', LABEL_SELECTOR),
    3: field('template', POD_TEMPLATE),
    4: field('strategy', { 1: field('type', 'string') }),
    5: field('minReadySeconds', 'int'),
    6: field('revisionHistoryLimit', 'optionalInt'),
    7: field('paused', 'bool'),
    9: field('progressDeadlineSeconds', 'optionalInt'),
  }),
};

const RESOURCE_ATTRIBUTES: MessageSchema = {
  1: field('namespace', 'string'),
  2: field('verb', 'string'),
  3: field('group', 'string'),
  4: field('version', 'string'),
  5: field('resource', 'string'),
  6: field('subresource', 'string'),
  7: field('name', 'string'),
};

const NON_RESOURCE_ATTRIBUTES: MessageSchema = { 1: field('path', 'string'), 2: field('verb', 'string') };

const SELF_SUBJECT_ACCESS_REVIEW: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    1: field('resourceAttributes', RESOURCE_ATTRIBUTES),
    2: field('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
  }),
};

const SUBJECT_ACCESS_REVIEW: MessageSchema = {
  1: METADATA,
  2: field('spec', {
    1: field('resourceAttributes', RESOURCE_ATTRIBUTES),
    2: field('nonResourceAttributes', NON_RESOURCE_ATTRIBUTES),
    3: field('user', 'string'),
    4: repeated('groups', 'string'),
    6: field('uid', 'string'),
  }),
};

const TOKEN_REVIEW: MessageSchema = {
  1: METADATA,
  2: field('spec', { 1: field('token', 'string'), 2: repeated('audiences', 'string') }),
};

/** Schemas by `<apiVersion>/<kind>`. */
const KINDS: Readonly<Record<string, MessageSchema>> = {
  'v1/ConfigMap': CONFIG_MAP,
  'v1/Secret': SECRET,
  'v1/Namespace': NAMESPACE,
  'v1/Service': SERVICE,
  'v1/ServiceAccount': SERVICE_ACCOUNT,
  'apps/v1/Deployment': DEPLOYMENT,
  'batch/v1/Job': JOB,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': SELF_SUBJECT_ACCESS_REVIEW,
  'authorization.k8s.io/v1/SubjectAccessReview': SUBJECT_ACCESS_REVIEW,
  'authentication.k8s.io/v1/TokenReview': TOKEN_REVIEW,
  'authentication.k8s.io/v1/SelfSubjectReview': { 1: METADATA },
};

// ---------------------------------------------------------------------------------------------------
// Decoding

type JsonObject = Record<string, unknown>;

const UTF8 = new TextDecoder();

function decodeMessage(bytes: Uint8Array, schema: MessageSchema): JsonObject {
  const out: JsonObject = {};
  for (const wire of new WireReader(bytes).fields()) {
    const spec = schema[wire.number];
    if (!spec) continue;
    if (spec.shape === 'map') {
      const { key = '', value = '' } = decodeMessage(expectBytes(wire, spec), mapEntry(spec.type));
      const entries = (out[spec.json] as JsonObject | undefined) ?? {};
      entries[String(key)] = value;
      out[spec.json] = entries;
    } else if (spec.shape === 'repeated') {
      const items = (out[spec.json] as unknown[] | undefined) ?? [];
      items.push(decodeValue(wire, spec));
      out[spec.json] = items;
    } else {
      const value = decodeValue(wire, spec);
      if (isPresent(value, spec.type)) out[spec.json] = value;
    }
  }
  return out;
}

/** Whether Go's JSON would write a singular field: pointers always, other values unless zero or empty. */
function isPresent(value: unknown, type: ValueType): boolean {
  if (type === 'optionalInt' || type === 'optionalBool' || type === 'raw') return true;
  if (value === '' || value === 0 || value === false || value === undefined) return false;
  return typeof value !== 'object' || Object.keys(value as object).length > 0;
}

function decodeValue(wire: WireField, spec: FieldSpec): unknown {
  const { type } = spec;
  if (typeof type === 'object') return decodeMessage(expectBytes(wire, spec), type);
  switch (type) {
    case 'string':
      return UTF8.decode(expectBytes(wire, spec));
    case 'bytes':
      return Buffer.from(expectBytes(wire, spec)).toString('base64');
    case 'raw':
      return expectBytes(wire, spec);
    case 'int':
    case 'optionalInt':
      return Number(BigInt.asIntN(64, expectVarint(wire, spec)));
    case 'bool':
    case 'optionalBool':
      return expectVarint(wire, spec) !== 0n;
    case 'time':
      return decodeTime(expectBytes(wire, spec));
    case 'intOrString':
      return decodeIntOrString(expectBytes(wire, spec));
  }
}

/** `metav1.Time` is `{ seconds = 1; nanos = 2 }`, empty for the zero time; JSON keeps whole seconds. */
function decodeTime(bytes: Uint8Array): string | undefined {
  const { seconds } = decodeMessage(bytes, { 1: field('seconds', 'optionalInt') });
  if (typeof seconds !== 'number') return undefined;
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** `intstr.IntOrString` is `{ type = 1 (0 int, 1 string); intVal = 2; strVal = 3 }`. */
function decodeIntOrString(bytes: Uint8Array): number | string {
  const { type, intVal, strVal } = decodeMessage(bytes, {
    1: field('type', 'int'),
    2: field('intVal', 'int'),
    3: field('strVal', 'string'),
  });
  return type === 1 ? String(strVal ?? '') : Number(intVal ?? 0);
}

function expectBytes(wire: WireField, spec: FieldSpec): Uint8Array {
  if (wire.wireType !== LENGTH_DELIMITED) {
    throw malformed(`field ${wire.number} (${spec.json}) is not length-delimited`);
  }
  return wire.bytes;
}

function expectVarint(wire: WireField, spec: FieldSpec): bigint {
  if (wire.wireType !== VARINT) throw malformed(`field ${wire.number} (${spec.json}) is not a varint`);
  return wire.varint;
}
