import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../kubeApiError.js';
import type { KubeObject } from '../../types.js';
import { applyServerSideApply } from './serverSideApply.js';

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

describe('applyServerSideApply field ownership', () => {
  const deployment = (spec: Record<string, unknown>): KubeObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec,
  });
  const byA = applyServerSideApply(undefined, deployment({ replicas: 2, paused: false }), 'a', false);

  it('is a 409 Conflict naming the manager and field when another applier set it otherwise', () => {
    let error: unknown;
    try {
      applyServerSideApply(byA, deployment({ replicas: 3 }), 'b', false);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(409);
    expect((error as KubeApiError).message).toBe(
      'Apply failed with 1 conflict: conflict with "a": .spec.replicas',
    );
    expect((error as KubeApiError).details?.causes).toEqual([
      { reason: 'FieldManagerConflict', message: 'conflict with "a"', field: '.spec.replicas' },
    ]);
    expect(applyServerSideApply(byA, deployment({ replicas: 2 }), 'b', false).spec).toEqual({
      replicas: 2,
      paused: false,
    });
  });

  it('moves the field to the forcing manager', () => {
    const forced = applyServerSideApply(byA, deployment({ replicas: 3 }), 'b', true);
    const entries = forced.metadata.managedFields as { manager: string; fieldsV1: Record<string, unknown> }[];
    expect(entries.find((e) => e.manager === 'a')?.fieldsV1).toEqual({ 'f:spec': { 'f:paused': {} } });
    expect(entries.find((e) => e.manager === 'b')?.fieldsV1).toEqual({ 'f:spec': { 'f:replicas': {} } });
    expect(forced.spec).toEqual({ replicas: 3, paused: false });
  });

  it('removes a field its only manager stopped applying, and keeps one another manager owns', () => {
    const shared = applyServerSideApply(byA, deployment({ paused: false }), 'b', false);
    const reapplied = applyServerSideApply(shared, deployment({ minReadySeconds: 5 }), 'a', false);
    expect(reapplied.spec).toEqual({ paused: false, minReadySeconds: 5 });
  });
});
