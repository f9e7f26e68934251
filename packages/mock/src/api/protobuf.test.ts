import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import { decodeKubeProtobuf, isKubeProtobuf } from './protobuf.js';

/**
 * Request bodies captured from kubectl 1.33 (the dispatcher's pick for a server reporting minor 33)
 * by a stub server, with `Content-Type: application/vnd.kubernetes.protobuf`. Each expectation is the
 * command's `--dry-run=client -o json` output without its empty fields (`creationTimestamp: null`,
 * `resources: {}`, `status: {}`).
 *
 * `kubectl run` sends JSON, not protobuf, so there is no Pod fixture.
 */
const KUBECTL = {
  'create configmap demo --from-literal=a=b --from-literal=c=d -n default':
    'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEi0KGwoEZGVtbxIAGgdkZWZhdWx0IgAqADIAOABCABIGCgFhEgFiEgYKAWMSAWQaACIA',
  'create configmap bin --from-file=blob=bin.dat --from-file=text.txt -n default':
    'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEj0KGgoDYmluEgAaB2RlZmF1bHQiACoAMgA4AEIAEhEKCHRleHQudHh0EgVoZWxsbxoM' +
    'CgRibG9iEgQAAf/+GgAiAA==',
  'create configmap saved --from-literal=k=v --save-config -n default':
    'azhzAAoPCgJ2MRIJQ29uZmlnTWFwEuIBCtcBCgVzYXZlZBIAGgdkZWZhdWx0IgAqADIAOABCAGK4AQowa3ViZWN0bC5rdWJl' +
    'cm5ldGVzLmlvL2xhc3QtYXBwbGllZC1jb25maWd1cmF0aW9uEoMBeyJraW5kIjoiQ29uZmlnTWFwIiwiYXBpVmVyc2lvbiI6' +
    'InYxIiwibWV0YWRhdGEiOnsibmFtZSI6InNhdmVkIiwibmFtZXNwYWNlIjoiZGVmYXVsdCIsImNyZWF0aW9uVGltZXN0YW1w' +
    'IjpudWxsfSwiZGF0YSI6eyJrIjoidiJ9fQoSBgoBaxIBdhoAIgA=',
  "create secret generic creds --from-literal=user=admin --from-literal=pass='s3cr=t' -n default":
    'azhzAAoMCgJ2MRIGU2VjcmV0Ej8KHAoFY3JlZHMSABoHZGVmYXVsdCIAKgAyADgAQgASDgoEcGFzcxIGczNjcj10Eg0KBHVz' +
    'ZXISBWFkbWluGgAaACIA',
  'create secret generic typed --type=example.com/custom --from-literal=k=v -n default':
    'azhzAAoMCgJ2MRIGU2VjcmV0EjoKHAoFdHlwZWQSABoHZGVmYXVsdCIAKgAyADgAQgASBgoBaxIBdhoSZXhhbXBsZS5jb20v' +
    'Y3VzdG9tGgAiAA==',
  'create namespace team-a': 'azhzAAoPCgJ2MRIJTmFtZXNwYWNlEh4KFgoGdGVhbS1hEgAaACIAKgAyADgAQgASABoCCgAaACIA',
  'create serviceaccount robot -n default':
    'azhzAAoUCgJ2MRIOU2VydmljZUFjY291bnQSHgocCgVyb2JvdBIAGgdkZWZhdWx0IgAqADIAOABCABoAIgA=',
  'create deployment web --image=nginx:1.27 --replicas=3 --port=8080 -n default':
    'azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50EsUBCiYKA3dlYhIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA3dlYhKM' +
    'AQgDEgwKCgoDYXBwEgN3ZWIacgocCgASABoAIgAqADIAOABCAFoKCgNhcHASA3dlYhJSEjQKBW5naW54EgpuZ2lueDoxLjI3' +
    'KgAyCwoAEAAYkD8iACoAQgBqAHIAgAEAiAEAkAEAogEAGgAyAEIASgBSAFgAYABoAIIBAIoBAJoBAMIBACICCgAoADgAGgwI' +
    'ABAAGAAgACgAOAAaACIA',
  'create service clusterip my-svc --tcp=80:8080 --tcp=443:8443 -n default':
    'azhzAAoNCgJ2MRIHU2VydmljZRKYAQosCgZteS1zdmMSABoHZGVmYXVsdCIAKgAyADgAQgBaDQoDYXBwEgZteS1zdmMSZAob' +
    'Cgc4MC04MDgwEgNUQ1AYUCIHCAAQkD8aACgACh0KCDQ0My04NDQzEgNUQ1AYuwMiBwgAEPtBGgAoABINCgNhcHASBm15LXN2' +
    'YxoAIglDbHVzdGVySVA6AEIAUgBaAGAAaAAaAgoAGgAiAA==',
  'create service nodeport np --tcp=80:http --node-port=30080 -n default':
    'azhzAAoNCgJ2MRIHU2VydmljZRJxCiQKAm5wEgAaB2RlZmF1bHQiACoAMgA4AEIAWgkKA2FwcBICbnASRQogCgc4MC1odHRw' +
    'EgNUQ1AYUCIKCAEQABoEaHR0cCiA6wESCQoDYXBwEgJucBoAIghOb2RlUG9ydDoAQgBSAFoAYABoABoCCgAaACIA',
  'create service externalname ext --external-name=example.com -n default':
    'azhzAAoNCgJ2MRIHU2VydmljZRJhCiYKA2V4dBIAGgdkZWZhdWx0IgAqADIAOABCAFoKCgNhcHASA2V4dBIzEgoKA2FwcBID' +
    'ZXh0GgAiDEV4dGVybmFsTmFtZToAQgBSC2V4YW1wbGUuY29tWgBgAGgAGgIKABoAIgA=',
  'create quota q --hard=pods=2 -n default':
    'azhzAAoTCgJ2MRINUmVzb3VyY2VRdW90YRIrChgKAXESABoHZGVmYXVsdCIAKgAyADgAQgASDQoLCgRwb2RzEgMKATIaABoA' +
    'IgA=',
  'auth can-i list pods':
    'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSPQoQCgASABoAIgAqADIAOABC' +
    'ABIfCh0KB2RlZmF1bHQSBGxpc3QaACIAKgRwb2RzMgA6ABoICAASABoAIAAaACIA',
  'auth can-i get /healthz':
    'azhzAAoyChdhdXRob3JpemF0aW9uLms4cy5pby92MRIXU2VsZlN1YmplY3RBY2Nlc3NSZXZpZXcSLwoQCgASABoAIgAqADIAOABC' +
    'ABIREg8KCC9oZWFsdGh6EgNnZXQaCAgAEgAaACAAGgAiAA==',
  'auth whoami':
    'azhzAAotChhhdXRoZW50aWNhdGlvbi5rOHMuaW8vdjESEVNlbGZTdWJqZWN0UmV2aWV3EhoKEAoAEgAaACIAKgAyADgAQgASBgoE' +
    'CgASABoAIgA=',
} as const;

type Command = keyof typeof KUBECTL;

function captured(command: Command): Uint8Array {
  return Uint8Array.from(Buffer.from(KUBECTL[command], 'base64'));
}

const decoded = (command: Command) => decodeKubeProtobuf(captured(command));

function thrown(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error('nothing was thrown');
}

describe('isKubeProtobuf', () => {
  it('recognises the k8s\\0 prefix', () => {
    expect(isKubeProtobuf(captured('create namespace team-a'))).toBe(true);
    expect(isKubeProtobuf(Buffer.from('{"kind":"ConfigMap"}'))).toBe(false);
    expect(isKubeProtobuf(Buffer.from('k8s'))).toBe(false);
    expect(isKubeProtobuf(new Uint8Array())).toBe(false);
  });
});

describe('decodeKubeProtobuf, on bodies kubectl sent', () => {
  it('decodes a ConfigMap', () => {
    expect(decoded('create configmap demo --from-literal=a=b --from-literal=c=d -n default')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'demo', namespace: 'default' },
      data: { a: 'b', c: 'd' },
    });
  });

  it('decodes ConfigMap binaryData to base64, as JSON carries it', () => {
    expect(decoded('create configmap bin --from-file=blob=bin.dat --from-file=text.txt -n default')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'bin', namespace: 'default' },
      data: { 'text.txt': 'hello' },
      binaryData: { blob: 'AAH//g==' },
    });
  });

  it('decodes annotations', () => {
    const { metadata } = decoded('create configmap saved --from-literal=k=v --save-config -n default');
    expect(metadata.annotations).toEqual({
      'kubectl.kubernetes.io/last-applied-configuration':
        '{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"saved","namespace":"default","creationTimestamp":null},"data":{"k":"v"}}\n',
    });
  });

  it('decodes Secret data to base64, and the type', () => {
    expect(
      decoded(
        "create secret generic creds --from-literal=user=admin --from-literal=pass='s3cr=t' -n default",
      ),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'default' },
      data: { pass: 'czNjcj10', user: 'YWRtaW4=' },
    });
    expect(
      decoded('create secret generic typed --type=example.com/custom --from-literal=k=v -n default'),
    ).toMatchObject({
      data: { k: 'dg==' },
      type: 'example.com/custom',
    });
  });

  it('decodes a Namespace and a ServiceAccount', () => {
    expect(decoded('create namespace team-a')).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team-a' },
    });
    expect(decoded('create serviceaccount robot -n default')).toEqual({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'robot', namespace: 'default' },
    });
  });

  it('decodes a Deployment', () => {
    expect(decoded('create deployment web --image=nginx:1.27 --replicas=3 --port=8080 -n default')).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'nginx', image: 'nginx:1.27', ports: [{ containerPort: 8080 }] }] },
        },
      },
    });
  });

  it('decodes Services with numeric and named target ports', () => {
    expect(decoded('create service clusterip my-svc --tcp=80:8080 --tcp=443:8443 -n default')).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-svc', namespace: 'default', labels: { app: 'my-svc' } },
      spec: {
        ports: [
          { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
          { name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443 },
        ],
        selector: { app: 'my-svc' },
        type: 'ClusterIP',
      },
    });
    expect(decoded('create service nodeport np --tcp=80:http --node-port=30080 -n default').spec).toEqual({
      ports: [{ name: '80-http', protocol: 'TCP', port: 80, targetPort: 'http', nodePort: 30080 }],
      selector: { app: 'np' },
      type: 'NodePort',
    });
    expect(decoded('create service externalname ext --external-name=example.com -n default').spec).toEqual({
      selector: { app: 'ext' },
      type: 'ExternalName',
      externalName: 'example.com',
    });
  });

  it('answers 415 for a kind it has no schema for, naming the ones it decodes', () => {
    const error = thrown(() => decoded('create quota q --hard=pods=2 -n default'));
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(415);
    expect(error.reason).toBe('UnsupportedMediaType');
    expect(error.message).toBe(
      'protobuf bodies are decoded for ConfigMap, Secret, Namespace, Service, ServiceAccount, Deployment, Job, SelfSubjectAccessReview, SubjectAccessReview, TokenReview, SelfSubjectReview only, not ResourceQuota; send JSON (application/json) instead',
    );
  });

  it('answers 400 for a truncated body', () => {
    const body = captured('create configmap demo --from-literal=a=b --from-literal=c=d -n default');
    const error = thrown(() => decodeKubeProtobuf(body.subarray(0, body.length - 10)));
    expect(error.code).toBe(400);
    expect(error.message).toBe('the protobuf body is malformed: a field is longer than the body');
  });

  it('answers 400 for a body without the k8s\\0 prefix', () => {
    const error = thrown(() => decodeKubeProtobuf(Buffer.from('{"kind":"ConfigMap"}')));
    expect(error.code).toBe(400);
    expect(error.message).toBe('the body is not Kubernetes protobuf: it lacks the "k8s\\0" prefix');
  });
});

/** A minimal protobuf writer for the fields and wire types kubectl's generators never send. */
const wire = {
  varint(value: number | bigint): number[] {
    let rest = BigInt.asUintN(64, BigInt(value));
    const bytes: number[] = [];
    do {
      const low = Number(rest & 0x7fn);
      rest >>= 7n;
      bytes.push(rest ? low | 0x80 : low);
    } while (rest);
    return bytes;
  },
  int(field: number, value: number | bigint): number[] {
    return [...wire.varint(field << 3), ...wire.varint(value)];
  },
  bytes(field: number, payload: number[] | string): number[] {
    const data = typeof payload === 'string' ? [...Buffer.from(payload)] : payload;
    return [...wire.varint((field << 3) | 2), ...wire.varint(data.length), ...data];
  },
  fixed(field: number, size: 4 | 8): number[] {
    return [...wire.varint((field << 3) | (size === 8 ? 1 : 5)), ...new Array<number>(size).fill(0xff)];
  },
  body(apiVersion: string, kind: string, raw: number[]): Uint8Array {
    const typeMeta = [...wire.bytes(1, apiVersion), ...wire.bytes(2, kind)];
    return Uint8Array.from([0x6b, 0x38, 0x73, 0x00, ...wire.bytes(1, typeMeta), ...wire.bytes(2, raw)]);
  },
};

describe('decodeKubeProtobuf, on fields kubectl does not send', () => {
  it('decodes timestamps, owner references, finalizers, pointer fields and negative numbers', () => {
    const ownerReference = [
      ...wire.bytes(1, 'ReplicaSet'),
      ...wire.bytes(3, 'web-1'),
      ...wire.bytes(4, 'u-1'),
      ...wire.bytes(5, 'apps/v1'),
      ...wire.int(6, 1),
      ...wire.int(7, 0),
    ];
    const metadata = [
      ...wire.bytes(1, 'cfg'),
      ...wire.int(7, -2),
      ...wire.bytes(8, [...wire.int(1, 1_700_000_000), ...wire.int(2, 5)]),
      ...wire.bytes(13, ownerReference),
      ...wire.bytes(14, 'example.com/cleanup'),
      ...wire.bytes(14, ''),
      ...wire.fixed(99, 8),
      ...wire.fixed(98, 4),
    ];
    const configMap = [
      ...wire.bytes(1, metadata),
      ...wire.int(4, 0),
      ...wire.bytes(2, [...wire.bytes(1, 'empty')]),
    ];
    expect(decodeKubeProtobuf(wire.body('v1', 'ConfigMap', configMap))).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cfg',
        generation: -2,
        creationTimestamp: '2023-11-14T22:13:20Z',
        ownerReferences: [
          {
            kind: 'ReplicaSet',
            name: 'web-1',
            uid: 'u-1',
            apiVersion: 'apps/v1',
            controller: true,
            blockOwnerDeletion: false,
          },
        ],
        finalizers: ['example.com/cleanup', ''],
      },
      data: { empty: '' },
      immutable: false,
    });
  });

  it('keeps a pointer field set to zero, such as replicas: 0', () => {
    const spec = [...wire.int(1, 0), ...wire.int(5, 0)];
    const deployment = [...wire.bytes(1, wire.bytes(1, 'idle')), ...wire.bytes(2, spec)];
    expect(decodeKubeProtobuf(wire.body('apps/v1', 'Deployment', deployment)).spec).toEqual({ replicas: 0 });
  });

  it('answers 400 when a field has the wrong wire type', () => {
    const error = thrown(() => decodeKubeProtobuf(wire.body('v1', 'ConfigMap', wire.int(1, 7))));
    expect(error.code).toBe(400);
    expect(error.message).toBe('the protobuf body is malformed: field 1 (metadata) is not length-delimited');
  });

  it('answers 400 for unsupported wire types and unterminated varints', () => {
    expect(thrown(() => decodeKubeProtobuf(wire.body('v1', 'ConfigMap', [(1 << 3) | 3]))).message).toBe(
      'the protobuf body is malformed: field 1 has unsupported wire type 3',
    );
    expect(
      thrown(() => decodeKubeProtobuf(wire.body('v1', 'ConfigMap', [...wire.varint(4 << 3), 0x80]))).message,
    ).toBe('the protobuf body is malformed: it ends inside a varint');
  });

  it('answers 415 for a body whose envelope names no kind', () => {
    const body = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);
    expect(thrown(() => decodeKubeProtobuf(body)).message).toMatch(
      /only, not an object without a kind; send JSON/,
    );
  });

  it('decodes the SelfSubjectAccessReviews of kubectl auth can-i', () => {
    expect(decoded('auth can-i list pods')).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      metadata: {},
      spec: { resourceAttributes: { namespace: 'default', verb: 'list', resource: 'pods' } },
    });
    expect(decoded('auth can-i get /healthz').spec).toEqual({
      nonResourceAttributes: { path: '/healthz', verb: 'get' },
    });
  });

  it('decodes the SelfSubjectReview of kubectl auth whoami', () => {
    expect(decoded('auth whoami')).toMatchObject({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'SelfSubjectReview',
      metadata: {},
    });
  });
});
