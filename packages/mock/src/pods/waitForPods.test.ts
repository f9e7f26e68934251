import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockCluster, type KubeObject, type MockCluster, waitForPods } from '../index.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster({ tls: false });
});
afterAll(() => cluster.close());

const pod = (name: string, namespace: string, app: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels: { app } },
  spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] },
});

describe('waitForPods', () => {
  it('returns the pods once enough are running or ready, by namespace and labels', async () => {
    await cluster.apply([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } },
      pod('a-1', 'default', 'a'),
      pod('a-2', 'default', 'a'),
      pod('b-1', 'team', 'b'),
    ]);
    const ready = await waitForPods(cluster, { count: 2, labelSelector: 'app=a' });
    expect(ready.map((p) => p.metadata.name).sort()).toEqual(['a-1', 'a-2']);
    const running = await waitForPods(cluster, { count: 1, state: 'running', namespace: 'team' });
    expect(running.map((p) => p.metadata.name)).toEqual(['b-1']);
    expect((await waitForPods(cluster, { count: 3 })).length).toBeGreaterThanOrEqual(3);
  });

  it('fails after its bound, saying how many pods there were', async () => {
    await expect(waitForPods(cluster, { count: 5, labelSelector: 'app=a', timeoutMs: 200 })).rejects.toThrow(
      /waited 200 ms for 5 ready pods \(app=a\); 2 are/,
    );
  });
});
