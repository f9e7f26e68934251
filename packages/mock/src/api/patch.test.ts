import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  patchTypeFromContentType,
} from './patch.js';
import { KubeApiError } from './status.js';

function thrown(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error('nothing was thrown');
}

function deployment(): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      namespace: 'default',
      uid: 'u-1',
      labels: { app: 'web' },
      finalizers: ['a', 'b'],
    },
    spec: {
      replicas: 2,
      template: {
        spec: {
          containers: [
            {
              name: 'app',
              image: 'app:1',
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 8080, name: 'http' }],
              args: ['--a', '--b'],
            },
            { name: 'sidecar', image: 'proxy:1' },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
          tolerations: [{ key: 'x' }, { key: 'y' }],
        },
      },
    },
  };
}

const containersOf = (doc: unknown) =>
  (doc as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } }).spec.template.spec
    .containers;

describe('patchTypeFromContentType', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['Application/JSON-Patch+JSON;charset=UTF-8', 'json'],
    ['application/json', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (contentType, type) => {
    expect(patchTypeFromContentType(contentType)).toBe(type);
  });
});

describe('applyJsonPatch', () => {
  const doc = {
    metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x', 'a~b': 'y' } },
    items: [1, 2, 3],
  };

  it('applies add, remove, replace, move, copy and test in order', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/name', value: 'a' },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'replace', path: '/metadata/name', value: 'b' },
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' },
      { op: 'move', from: '/metadata/labels/a~0b', path: '/metadata/labels/moved' },
      { op: 'copy', from: '/items', path: '/copy' },
      { op: 'add', path: '/items/-', value: 4 },
      { op: 'add', path: '/items/0', value: 0 },
      { op: 'remove', path: '/items/1' },
      { op: 'replace', path: '/items/0', value: { deep: [true] } },
    ]);
    expect(result).toEqual({
      metadata: { name: 'b', labels: { tier: 'front', moved: 'y' } },
      items: [{ deep: [true] }, 2, 3, 4],
      copy: [1, 2, 3],
    });
  });

  it('never changes its inputs, nor shares values with them', () => {
    const before = structuredClone(doc);
    const value = { nested: ['x'] };
    const ops = [{ op: 'add', path: '/value', value }];
    const result = applyJsonPatch(doc, ops) as { value: { nested: string[] }; metadata: object };
    expect(doc).toEqual(before);
    result.value.nested.push('y');
    expect(value.nested).toEqual(['x']);
    expect(result.metadata).not.toBe(doc.metadata);
  });

  it('replaces the whole document for the empty path', () => {
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
    expect(applyJsonPatch(doc, [{ op: 'add', path: '', value: 'x' }])).toBe('x');
  });

  it('sets null values and compares deeply in test', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/a', value: null }])).toEqual({ a: null });
    expect(
      applyJsonPatch(doc, [{ op: 'test', path: '/metadata', value: structuredClone(doc.metadata) }]),
    ).toEqual(doc);
  });

  it.each([
    [
      { op: 'replace', path: '/metadata/missing', value: 1 },
      'replace operation does not apply: doc is missing path: /metadata/missing: missing value',
    ],
    [
      { op: 'remove', path: '/nope/deeper' },
      'remove operation does not apply: doc is missing path: /nope/deeper: missing value',
    ],
    [
      { op: 'add', path: '/nope/deeper', value: 1 },
      'add operation does not apply: doc is missing path: /nope/deeper: missing value',
    ],
    [{ op: 'add', path: '/items/9', value: 1 }, 'add operation does not apply: index out of range: /items/9'],
    [
      { op: 'add', path: '/items/01', value: 1 },
      'add operation does not apply: index out of range: /items/01',
    ],
    [
      { op: 'remove', path: '/items/3' },
      'remove operation does not apply: doc is missing path: /items/3: missing value',
    ],
    [
      { op: 'move', from: '/gone', path: '/x' },
      'move operation does not apply: doc is missing from: /gone: missing value',
    ],
    [
      { op: 'move', from: '/metadata', path: '/metadata/labels/x' },
      'move operation does not apply: /metadata cannot move into its own child /metadata/labels/x',
    ],
    [
      { op: 'copy', from: '/gone', path: '/x' },
      'copy operation does not apply: doc is missing from: /gone: missing value',
    ],
    [{ op: 'test', path: '/metadata/name', value: 'z' }, 'testing value /metadata/name failed: test failed'],
    [
      { op: 'test', path: '/gone', value: 1 },
      'test operation does not apply: doc is missing path: /gone: missing value',
    ],
    [{ op: 'remove', path: '' }, 'remove operation does not apply: cannot remove the document'],
  ])('answers 422 Invalid when %j does not apply', (op, message) => {
    const error = thrown(() => applyJsonPatch(doc, [op]));
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.message).toBe(message);
  });

  it.each([
    [
      { op: 'add', path: '/a', value: 1 },
      'a JSON patch must be a list of operations, such as [{"op":"add","path":"/a","value":1}]',
    ],
    [['add'], 'JSON patch operation 0 is not an object'],
    [
      [{ op: 'merge', path: '/a' }],
      'JSON patch operation 0 has op "merge"; use add, remove, replace, move, copy or test',
    ],
    [
      [{ path: '/a', value: 1 }],
      'JSON patch operation 0 has op undefined; use add, remove, replace, move, copy or test',
    ],
    [[{ op: 'add', path: '/a' }], 'JSON patch operation 0 (add) has no "value"'],
    [[{ op: 'remove' }], 'JSON patch operation 0 (remove): "path" must be a string'],
    [
      [{ op: 'remove', path: 'a' }],
      'JSON patch operation 0 (remove): "path" "a" is not a JSON pointer: it must be empty or start with "/"',
    ],
    [
      [{ op: 'remove', path: '/a~2' }],
      'JSON patch operation 0 (remove): "path" "/a~2" has a bad escape: write "~" as ~0 and "/" as ~1',
    ],
    [[{ op: 'copy', path: '/a' }], 'JSON patch operation 0 (copy): "from" must be a string'],
  ])('answers 400 BadRequest for the malformed patch %j', (ops, message) => {
    const error = thrown(() => applyJsonPatch(doc, ops));
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
    expect(error.message).toBe(message);
  });

  it('applies nothing when a later operation fails', () => {
    const before = structuredClone(doc);
    thrown(() =>
      applyJsonPatch(doc, [
        { op: 'remove', path: '/items' },
        { op: 'remove', path: '/gone' },
      ]),
    );
    expect(doc).toEqual(before);
  });
});

describe('applyMergePatch', () => {
  it('merges objects, deletes on null and replaces lists and scalars', () => {
    const doc = { a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' };
    expect(applyMergePatch(doc, { a: { b: null, d: { e: null, f: 3 } }, list: [3], keep: 'y' })).toEqual({
      a: { c: 2, d: { f: 3 } },
      list: [3],
      keep: 'y',
    });
    expect(doc).toEqual({ a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' });
  });

  it('replaces the document with a patch that is not an object', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(applyMergePatch({ a: 1 }, null)).toBe(null);
    expect(applyMergePatch('text', { a: 1 })).toEqual({ a: 1 });
  });

  it('returns a document that shares nothing with its inputs', () => {
    const doc = { metadata: { labels: { a: 'b' } } };
    const result = applyMergePatch(doc, { spec: { list: [1] } }) as typeof doc;
    result.metadata.labels.a = 'changed';
    expect(doc.metadata.labels.a).toBe('b');
  });
});

describe('applyStrategicMergePatch', () => {
  it('merges containers, env and ports by their keys, and replaces other lists', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  image: 'app:2',
                  env: [
                    { name: 'B', value: 'two' },
                    { name: 'C', value: '3' },
                  ],
                  ports: [{ containerPort: 9090 }],
                  args: ['--c'],
                },
              ],
              tolerations: [{ key: 'z' }],
            },
          },
        },
      },
      'Deployment',
    );
    const [app, sidecar] = containersOf(patched);
    expect(app).toEqual({
      name: 'app',
      image: 'app:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' },
        { name: 'C', value: '3' },
      ],
      ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 9090 }],
      args: ['--c'],
    });
    expect(sidecar).toEqual({ name: 'sidecar', image: 'proxy:1' });
    expect((patched as ReturnType<typeof deployment>).spec).toMatchObject({
      replicas: 2,
      template: { spec: { tolerations: [{ key: 'z' }], volumes: [{ name: 'data', emptyDir: {} }] } },
    });
  });

  it('picks merge keys by kind: Service ports merge by port, unknown kinds replace', () => {
    const service = {
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https' },
        ],
      },
    };
    const patch = { spec: { ports: [{ port: 443, targetPort: 8443 }] } };
    expect(applyStrategicMergePatch(service, patch, 'Service')).toEqual({
      spec: {
        ports: [
          { port: 80, name: 'http' },
          { port: 443, name: 'https', targetPort: 8443 },
        ],
      },
    });
    expect(applyStrategicMergePatch(service, patch, 'Widget')).toEqual(patch);
  });

  it('merges metadata lists for every kind: ownerReferences by uid, finalizers as a set', () => {
    const doc = { metadata: { ownerReferences: [{ uid: '1', name: 'a' }], finalizers: ['x'] } };
    const patch = { metadata: { ownerReferences: [{ uid: '2', name: 'b' }], finalizers: ['y', 'x'] } };
    expect(applyStrategicMergePatch(doc, patch, 'ConfigMap')).toEqual({
      metadata: {
        ownerReferences: [
          { uid: '1', name: 'a' },
          { uid: '2', name: 'b' },
        ],
        finalizers: ['x', 'y'],
      },
    });
  });

  it('merges status conditions by type', () => {
    const doc = {
      status: {
        conditions: [
          { type: 'Ready', status: 'False' },
          { type: 'Available', status: 'True' },
        ],
      },
    };
    const patched = applyStrategicMergePatch(
      doc,
      { status: { conditions: [{ type: 'Ready', status: 'True' }] } },
      'Pod',
    );
    expect(patched).toEqual({
      status: {
        conditions: [
          { type: 'Ready', status: 'True' },
          { type: 'Available', status: 'True' },
        ],
      },
    });
  });

  it('deletes fields set to null and list items marked $patch: delete', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { labels: null },
        spec: {
          template: {
            spec: {
              containers: [{ name: 'sidecar', $patch: 'delete' }],
              volumes: [{ name: 'data', $patch: 'delete' }],
            },
          },
        },
      },
      'Deployment',
    ) as KubeObject;
    expect(patched.metadata.labels).toBeUndefined();
    expect(containersOf(patched).map((c) => c.name)).toEqual(['app']);
    expect(patched).toMatchObject({ spec: { template: { spec: { volumes: [] } } } });
  });

  it('honours $patch: replace on maps and lists, and $patch: delete on maps', () => {
    const doc = {
      spec: { selector: { a: '1', b: '2' }, strategy: { type: 'RollingUpdate' } },
      status: { conditions: [{ type: 'A' }, { type: 'B' }] },
    };
    const patched = applyStrategicMergePatch(
      doc,
      {
        spec: { selector: { $patch: 'replace', c: '3' }, strategy: { $patch: 'delete' } },
        status: { conditions: [{ $patch: 'replace' }, { type: 'C' }] },
      },
      'Deployment',
    );
    expect(patched).toEqual({ spec: { selector: { c: '3' } }, status: { conditions: [{ type: 'C' }] } });
  });

  it('honours $retainKeys', () => {
    const doc = { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } };
    const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } };
    expect(applyStrategicMergePatch(doc, patch, 'Deployment')).toEqual({
      spec: { strategy: { type: 'Recreate' } },
    });
  });

  it('honours $deleteFromPrimitiveList and $setElementOrder', () => {
    const patched = applyStrategicMergePatch(
      deployment(),
      {
        metadata: {
          '$deleteFromPrimitiveList/finalizers': ['a'],
          '$setElementOrder/finalizers': ['c', 'b'],
          finalizers: ['c'],
        },
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'app' }],
              containers: [{ name: 'sidecar', image: 'proxy:2' }],
            },
          },
        },
      },
      'Deployment',
    ) as KubeObject;
    expect(patched.metadata.finalizers).toEqual(['c', 'b']);
    expect(containersOf(patched).map((c) => `${c.name}:${c.image}`)).toEqual([
      'sidecar:proxy:2',
      'app:app:1',
    ]);
  });

  it('keeps items $setElementOrder does not list after the listed ones', () => {
    const doc = { metadata: { finalizers: ['x', 'a', 'y', 'b'] } };
    const patched = applyStrategicMergePatch(
      doc,
      { metadata: { '$setElementOrder/finalizers': ['b', 'a'] } },
      'Pod',
    );
    expect(patched).toEqual({ metadata: { finalizers: ['b', 'a', 'x', 'y'] } });
  });

  it('never leaves directives or nulls in the result, even in new items', () => {
    const patched = applyStrategicMergePatch(
      {},
      {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'new',
                  env: [{ name: 'A', value: null }],
                  $patch: 'merge',
                  '$setElementOrder/env': [{ name: 'A' }],
                },
              ],
            },
          },
        },
        $patch: 'merge',
      },
      'Deployment',
    );
    expect(JSON.stringify(patched)).not.toMatch(/\$|null/);
    expect(containersOf(patched)).toEqual([{ name: 'new', env: [{ name: 'A' }] }]);
  });

  it('does not change its inputs', () => {
    const doc = deployment();
    const before = structuredClone(doc);
    const patch = { metadata: { labels: { b: 'c' } }, spec: { replicas: 3 } };
    const patched = applyStrategicMergePatch(doc, patch, 'Deployment') as KubeObject;
    patched.metadata.name = 'changed';
    expect(doc).toEqual(before);
    expect(patch).toEqual({ metadata: { labels: { b: 'c' } }, spec: { replicas: 3 } });
  });

  it.each([
    [[{ op: 'add' }], 'a strategic merge patch must be a JSON object'],
    [{ spec: { $patch: 'explode' } }, 'unknown patch type: "explode" in map: {"$patch":"explode"}'],
    [
      { spec: { template: { spec: { containers: [{ image: 'x' }] } } } },
      'map: {"image":"x"} does not contain declared merge key: name',
    ],
    [
      { spec: { template: { spec: { containers: ['x'] } } } },
      'spec.template.spec.containers: "x" is not an object with "name"',
    ],
    [{ spec: { $retainKeys: 'type' } }, '$retainKeys must be a list of field names'],
    [{ metadata: { '$setElementOrder/finalizers': 'a' } }, '$setElementOrder/finalizers must be a list'],
  ])('answers 400 BadRequest for %j', (patch, message) => {
    const error = thrown(() => applyStrategicMergePatch(deployment(), patch, 'Deployment'));
    expect(error.code).toBe(400);
    expect(error.message).toBe(message);
  });
});

describe('applyServerSideApply', () => {
  const now = new Date('2024-05-06T07:08:09.123Z');
  const applied: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'cfg',
      namespace: 'default',
      labels: { app: 'web' },
      finalizers: ['keep'],
      managedFields: [{ manager: 'forged' }],
    },
    data: { a: '1' },
  };

  it('creates from the applied object and records what the manager applied', () => {
    const result = applyServerSideApply(undefined, applied, 'kubectl', false, now);
    expect(result).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cfg',
        namespace: 'default',
        labels: { app: 'web' },
        finalizers: ['keep'],
        managedFields: [
          {
            manager: 'kubectl',
            operation: 'Apply',
            apiVersion: 'v1',
            time: '2024-05-06T07:08:09Z',
            fieldsType: 'FieldsV1',
            fieldsV1: {
              'f:metadata': { 'f:labels': { 'f:app': {} }, 'f:finalizers': { 'v:"keep"': {} } },
              'f:data': { 'f:a': {} },
            },
          },
        ],
      },
      data: { a: '1' },
    });
    expect(applied.metadata.managedFields).toEqual([{ manager: 'forged' }]);
  });

  it('merges onto the existing object and replaces only its own Apply entry', () => {
    const existing: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'cfg',
        namespace: 'default',
        uid: 'u-1',
        resourceVersion: '7',
        labels: { other: 'x' },
        managedFields: [
          { manager: 'kubectl', operation: 'Apply', fieldsV1: {} },
          { manager: 'kubectl', operation: 'Update', fieldsV1: {} },
          { manager: 'helm', operation: 'Apply', fieldsV1: {} },
        ],
      },
      data: { a: '0', b: '2' },
    };
    const result = applyServerSideApply(existing, applied, 'kubectl', true, now);
    expect(result.metadata).toMatchObject({
      uid: 'u-1',
      resourceVersion: '7',
      labels: { other: 'x', app: 'web' },
    });
    expect(result.data).toEqual({ a: '1', b: '2' });
    const entries = result.metadata.managedFields as { manager: string; operation: string; time?: string }[];
    expect(entries.map((e) => `${e.manager}/${e.operation}`)).toEqual([
      'kubectl/Apply',
      'kubectl/Update',
      'helm/Apply',
    ]);
    expect(entries[0]?.time).toBe('2024-05-06T07:08:09Z');
    expect(existing.metadata.labels).toEqual({ other: 'x' });
  });

  it('describes keyed list items with k: and leaves identity fields out', () => {
    const deploy: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        template: {
          spec: {
            containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }],
            tolerations: [{ key: 'x' }],
          },
        },
      },
    };
    const [entry] = applyServerSideApply(undefined, deploy, 'ci', false, now).metadata.managedFields as {
      fieldsV1: unknown;
    }[];
    expect(entry?.fieldsV1).toEqual({
      'f:spec': {
        'f:template': {
          'f:spec': {
            'f:containers': {
              'k:{"name":"app"}': {
                '.': {},
                'f:name': {},
                'f:image': {},
                'f:ports': { 'k:{"containerPort":80}': { '.': {}, 'f:containerPort': {} } },
              },
            },
            'f:tolerations': {},
          },
        },
      },
    });
  });
});
