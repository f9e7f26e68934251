import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import {
  maxRevision,
  REVISION,
  REVISION_HISTORY,
  replicaSetAnnotations,
  revisionOf,
  templateHash,
} from './rolloutRevisions.js';

const object = (annotations: Record<string, string> = {}, spec: unknown = {}): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: 'x', annotations },
  spec,
});

describe('templateHash', () => {
  it('is the same for a template with other key order, empty fields and the hash label', () => {
    const stored = {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'a:1' }] },
    };
    const copiedBack = {
      spec: { containers: [{ image: 'a:1', name: 'web', resources: {} }] },
      metadata: { creationTimestamp: null, labels: { app: 'web', 'pod-template-hash': 'abc' } },
    };
    expect(templateHash(copiedBack)).toBe(templateHash(stored));
    expect(templateHash(stored)).toMatch(/^[0-9a-f]{10}$/);
  });

  it('differs when the image differs', () => {
    const one = { spec: { containers: [{ name: 'web', image: 'a:1' }] } };
    const two = { spec: { containers: [{ name: 'web', image: 'a:2' }] } };
    expect(templateHash(one)).not.toBe(templateHash(two));
  });
});

describe('revisions', () => {
  it('reads revisions, 0 when absent or malformed', () => {
    expect(revisionOf(object({ [REVISION]: '3' }))).toBe(3);
    expect(revisionOf(object())).toBe(0);
    expect(revisionOf(object({ [REVISION]: 'x' }))).toBe(0);
    expect(maxRevision([object({ [REVISION]: '2' }), object({ [REVISION]: '5' }), object()])).toBe(5);
  });

  it("copies the Deployment's annotations but not last-applied, and records a rollback's old revision", () => {
    const deployment = object(
      { 'kubernetes.io/change-cause': 'image 2', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      { replicas: 4 },
    );
    const brought = object({ [REVISION]: '1', [REVISION_HISTORY]: '0' });
    expect(replicaSetAnnotations(deployment, brought, 3, 4)).toEqual({
      'kubernetes.io/change-cause': 'image 2',
      [REVISION]: '3',
      [REVISION_HISTORY]: '0,1',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
    expect(replicaSetAnnotations(deployment, undefined, 1, 4)[REVISION_HISTORY]).toBeUndefined();
  });
});
