import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import type { KubeObject, StatusCause } from '../types.js';
import { resourceByPath } from './resources.js';
import { isConfigMapKey, isDns1123Label, isDns1123Subdomain, validateObject } from './validation.js';

const CONFIGMAPS = resourceByPath('v1', 'configmaps')!;
const SECRETS = resourceByPath('v1', 'secrets')!;
const NAMESPACES = resourceByPath('v1', 'namespaces')!;
const SERVICES = resourceByPath('v1', 'services')!;
const DEPLOYMENTS = resourceByPath('apps/v1', 'deployments')!;
const TOKEN_REVIEWS = resourceByPath('authentication.k8s.io/v1', 'tokenreviews')!;

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

function configMap(fields: Partial<KubeObject> & Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'app-config', namespace: 'default' },
    ...fields,
  };
}

function thrown(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error('nothing was thrown');
}

function causesOf(action: () => unknown): StatusCause[] {
  const error = thrown(action);
  expect(error).toBeInstanceOf(KubeApiError);
  expect(error.code).toBe(422);
  expect(error.reason).toBe('Invalid');
  return error.details?.causes ?? [];
}

describe('name predicates', () => {
  it.each([
    ['web', true, true],
    ['web-1', true, true],
    ['1-web', true, true],
    ['a.b.c', false, true],
    ['Web', false, false],
    ['-web', false, false],
    ['web-', false, false],
    ['a..b', false, false],
    ['a.-b', false, false],
    ['', false, false],
    ['a'.repeat(63), true, true],
    ['a'.repeat(64), false, true],
    ['a'.repeat(253), false, true],
    ['a'.repeat(254), false, false],
  ])('%j: label %s, subdomain %s', (name, label, subdomain) => {
    expect(isDns1123Label(name)).toBe(label);
    expect(isDns1123Subdomain(name)).toBe(subdomain);
  });

  it.each([
    ['app.properties', true],
    ['KEY_NAME', true],
    ['.env', true],
    ['a-b', true],
    ['', false],
    ['.', false],
    ['..', false],
    ['..data', false],
    ['a/b', false],
    ['a b', false],
    ['k'.repeat(253), true],
    ['k'.repeat(254), false],
  ])('config map key %j: %s', (key, valid) => {
    expect(isConfigMapKey(key)).toBe(valid);
  });
});

describe('validateObject', () => {
  it('accepts a valid object', () => {
    expect(() =>
      validateObject(
        CONFIGMAPS,
        configMap({
          metadata: {
            name: 'app.config',
            namespace: 'default',
            labels: { 'app.kubernetes.io/name': 'web', empty: '' },
            annotations: { 'Example.com/Owner': 'Team A, with spaces!' },
          },
          data: { 'app.properties': 'a=b' },
          binaryData: { 'logo.png': 'iVBORw0KGgo=' },
        }),
      ),
    ).not.toThrow();
  });

  it('requires a name unless there is a generateName', () => {
    const noName = configMap({ metadata: { namespace: 'default' } });
    expect(causesOf(() => validateObject(CONFIGMAPS, noName))).toEqual([
      {
        reason: 'FieldValueRequired',
        message: 'Required value: name or generateName is required',
        field: 'metadata.name',
      },
    ]);
    expect(() => validateObject(CONFIGMAPS, configMap({ metadata: { generateName: 'app-' } }))).not.toThrow();
    expect(() =>
      validateObject(TOKEN_REVIEWS, {
        apiVersion: 'authentication.k8s.io/v1',
        kind: 'TokenReview',
        metadata: {},
      }),
    ).not.toThrow();
  });

  it('reports an invalid name in the apiserver wording, as kubectl prints it', () => {
    const error = thrown(() => validateObject(CONFIGMAPS, configMap({ metadata: { name: 'App_Config' } })));
    expect(error.message).toBe(
      `ConfigMap "App_Config" is invalid: metadata.name: Invalid value: "App_Config": ${SUBDOMAIN_RULE}`,
    );
    expect(error.details).toMatchObject({ name: 'App_Config', kind: 'ConfigMap' });
  });

  it('validates a generateName with its trailing dash masked', () => {
    expect(
      causesOf(() => validateObject(CONFIGMAPS, configMap({ metadata: { generateName: 'Bad-' } }))),
    ).toEqual([
      {
        reason: 'FieldValueInvalid',
        message: `Invalid value: "Bad-": ${SUBDOMAIN_RULE}`,
        field: 'metadata.generateName',
      },
    ]);
  });

  it('wants DNS-1123 labels for namespaces and DNS-1035 labels for services', () => {
    const ns = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    const svc = (name: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: {},
    });
    expect(causesOf(() => validateObject(NAMESPACES, ns('team.a')))[0]?.message).toBe(
      'Invalid value: "team.a": must not contain dots',
    );
    expect(causesOf(() => validateObject(NAMESPACES, ns('n'.repeat(64))))[0]?.message).toMatch(
      /must be no more than 63 characters$/,
    );
    expect(() => validateObject(NAMESPACES, ns('1team'))).not.toThrow();
    expect(causesOf(() => validateObject(SERVICES, svc('1web')))[0]?.message).toBe(
      "Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    );
    expect(() => validateObject(SERVICES, svc('web'))).not.toThrow();
  });

  it('checks the namespace of namespaced objects', () => {
    const causes = causesOf(() =>
      validateObject(CONFIGMAPS, configMap({ metadata: { name: 'a', namespace: 'Team' } })),
    );
    expect(causes.map((c) => c.field)).toEqual(['metadata.namespace']);
  });

  it('checks label keys and values', () => {
    const causes = causesOf(() =>
      validateObject(
        CONFIGMAPS,
        configMap({
          metadata: {
            name: 'a',
            labels: { 'bad key': 'ok', '/x': 'ok', good: '-bad', long: 'v'.repeat(64) },
          },
        }),
      ),
    );
    expect(causes.map((c) => [c.field, c.message.split(': ')[1]])).toEqual([
      ['metadata.labels', '"bad key"'],
      ['metadata.labels', '"/x"'],
      ['metadata.labels', '"-bad"'],
      ['metadata.labels', `"${'v'.repeat(64)}"`],
    ]);
    expect(causes[0]?.message).toContain(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    );
    expect(causes[1]?.message).toBe('Invalid value: "/x": prefix part must be non-empty');
    expect(causes[3]?.message).toMatch(/must be no more than 63 characters$/);
  });

  it('limits annotations to 256 KiB in total', () => {
    const annotations = { big: 'x'.repeat(256 * 1024) };
    expect(
      causesOf(() => validateObject(CONFIGMAPS, configMap({ metadata: { name: 'a', annotations } }))),
    ).toEqual([
      {
        reason: 'FieldValueTooLong',
        message: 'Too long: must have at most 262144 bytes',
        field: 'metadata.annotations',
      },
    ]);
  });

  it('checks ConfigMap keys and keys present in both data and binaryData', () => {
    const causes = causesOf(() =>
      validateObject(
        CONFIGMAPS,
        configMap({ data: { 'a/b': 'x', '..data': 'y', dup: 'z' }, binaryData: { dup: 'eg==' } }),
      ),
    );
    expect(causes.map((c) => `${c.field}: ${c.message}`)).toEqual([
      "data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      'data[..data]: Invalid value: "..data": must not start with \'..\'',
      'data[dup]: Invalid value: "dup": duplicate of key present in binaryData',
    ]);
  });

  it('limits a ConfigMap to 1 MiB of data and binaryData together', () => {
    const half = 'x'.repeat(512 * 1024);
    expect(() => validateObject(CONFIGMAPS, configMap({ data: { a: half, b: half } }))).not.toThrow();
    const binary = Buffer.alloc(16).toString('base64');
    const error = thrown(() =>
      validateObject(CONFIGMAPS, configMap({ data: { a: half, b: half }, binaryData: { c: binary } })),
    );
    expect(error.message).toBe(
      'ConfigMap "app-config" is invalid: Too long: must have at most 1048576 bytes',
    );
    expect(error.details?.causes).toEqual([
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: '' },
    ]);
  });

  it('limits a Secret to 1 MiB of decoded data, counting stringData', () => {
    const secret = (data: Record<string, string>, stringData?: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'creds', namespace: 'default' },
      data,
      ...(stringData ? { stringData } : {}),
    });
    const mebibyte = Buffer.alloc(1024 * 1024).toString('base64');
    expect(() => validateObject(SECRETS, secret({ key: mebibyte }))).not.toThrow();
    expect(causesOf(() => validateObject(SECRETS, secret({ key: mebibyte }, { extra: 'x' })))).toEqual([
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: 'data' },
    ]);
    expect(causesOf(() => validateObject(SECRETS, secret({}, { 'bad key': 'x' })))[0]?.field).toBe(
      'data[bad key]',
    );
  });

  it('lists every problem in one error', () => {
    const error = thrown(() =>
      validateObject(
        CONFIGMAPS,
        configMap({ metadata: { name: 'Bad', labels: { k: '-' } }, data: { 'a b': '' } }),
      ),
    );
    expect(error.details?.causes?.map((c) => c.field)).toEqual([
      'metadata.name',
      'metadata.labels',
      'data[a b]',
    ]);
  });

  it('requires spec.selector on Deployments', () => {
    const deployment: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {},
    };
    expect(causesOf(() => validateObject(DEPLOYMENTS, deployment))).toEqual([
      { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
    ]);
    expect(thrown(() => validateObject(DEPLOYMENTS, deployment)).details?.group).toBe('apps');
  });

  describe('bodies kube-apiserver cannot decode (400)', () => {
    it('rejects Secret data that is not base64', () => {
      const secret = (value: string): KubeObject => ({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's' },
        data: { key: value },
      });
      const error = thrown(() => validateObject(SECRETS, secret('not base64!')));
      expect(error.code).toBe(400);
      expect(error.reason).toBe('BadRequest');
      expect(error.message).toBe(
        'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
      );
      const offsets = ['abc', 'ab=c', 'ab=', 'a===', 'abcd=', 'YWI=x'].map(
        (value) => thrown(() => validateObject(SECRETS, secret(value))).message.split('byte ')[1],
      );
      expect(offsets).toEqual(['0', '2', '3', '1', '4', '4']);
      expect(() => validateObject(SECRETS, secret('YWJj\r\nZA=='))).not.toThrow();
    });

    it('rejects ConfigMap data values that are not strings', () => {
      const error = thrown(() => validateObject(CONFIGMAPS, configMap({ data: { replicas: 3 } })));
      expect(error.code).toBe(400);
      expect(error.message).toBe(
        'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
      );
      expect(thrown(() => validateObject(CONFIGMAPS, configMap({ data: ['a'] }))).message).toMatch(
        /cannot unmarshal array into Go struct field ConfigMap.data of type map\[string\]string$/,
      );
      expect(
        thrown(() => validateObject(CONFIGMAPS, configMap({ binaryData: { a: true } }))).message,
      ).toMatch(/cannot unmarshal bool into Go struct field ConfigMap.binaryData of type \[\]uint8$/);
    });

    it('rejects label values that are not strings', () => {
      const labelled = configMap({
        metadata: { name: 'a', labels: { tier: { name: 'x' } as unknown as string } },
      });
      expect(thrown(() => validateObject(CONFIGMAPS, labelled)).message).toMatch(
        /cannot unmarshal object into Go struct field ObjectMeta.metadata.labels of type string$/,
      );
    });
  });
});
