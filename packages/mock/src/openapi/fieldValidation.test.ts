import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import { fieldValidationOf, pruneUnknownFields } from './fieldValidation.js';

const DEPLOYMENTS = resourceByPath('apps/v1', 'deployments')!;
const LEASES = resourceByPath('coordination.k8s.io/v1', 'leases')!;

const deployment = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' } },
  spec,
});

const template = {
  metadata: { labels: { app: 'web' } },
  spec: {
    containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 80, nmae: 'http' }] }],
    affinity: { anything: 1 },
  },
};

describe('pruneUnknownFields', () => {
  it('drops unknown fields and warns about each, by path, under Warn', () => {
    const { object, warnings } = pruneUnknownFields(
      DEPLOYMENTS,
      deployment({ replica: 2, template }),
      'Warn',
    );
    expect(warnings).toEqual([
      'unknown field "spec.replica"',
      'unknown field "spec.template.spec.containers[0].ports[0].nmae"',
    ]);
    expect(object.spec).toEqual({
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 80 }] }],
          affinity: { anything: 1 },
        },
      },
    });
  });

  it('is a 400 strict decoding error under Strict, and silent under Ignore', () => {
    let error: unknown;
    try {
      pruneUnknownFields(DEPLOYMENTS, deployment({ replica: 2 }), 'Strict');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(400);
    expect((error as KubeApiError).message).toBe(
      'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica"',
    );
    expect(pruneUnknownFields(DEPLOYMENTS, deployment({ replica: 2 }), 'Ignore')).toEqual({
      object: deployment({}),
      warnings: [],
    });
  });

  it('keeps the unknown fields the stored object already had', () => {
    const stored = deployment({ legacy: true });
    const { object, warnings } = pruneUnknownFields(
      DEPLOYMENTS,
      deployment({ legacy: true, replicas: 3 }),
      'Strict',
      stored,
    );
    expect([object.spec, warnings]).toEqual([{ legacy: true, replicas: 3 }, []]);
  });

  it('checks only the metadata of kinds whose fields are not described', () => {
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', nmae: 'x' },
      spec: { any: 1 },
    };
    expect(pruneUnknownFields(LEASES, lease, 'Warn')).toEqual({
      object: { ...lease, metadata: { name: 'l' } },
      warnings: ['unknown field "metadata.nmae"'],
    });
  });
});

describe('fieldValidationOf', () => {
  it('defaults to Warn and refuses other values', () => {
    expect(fieldValidationOf(null)).toBe('Warn');
    expect(fieldValidationOf('Strict')).toBe('Strict');
    expect(() => fieldValidationOf('strict')).toThrow(
      'fieldValidation must be one of Ignore, Warn or Strict, not "strict"',
    );
  });
});
