import { describe, expect, it } from 'vitest';
import type { KubeApiError } from '../../kubeApiError.js';
import type { KubeObject } from '../../types.js';
import { applyStrategicMergePatch } from './strategicMergePatch.js';

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
