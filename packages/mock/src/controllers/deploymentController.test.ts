import { waitFor } from '@kubesmart/wait-for';
import { afterEach, describe, expect, it } from 'vitest';
import { createMockCluster, type MockCluster, repeatableRandom } from '../index.js';
import { podNameSuffix } from './deploymentController.js';

const DEPLOYMENT = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: web, image: web:1 }] }
`;

const clusters: MockCluster[] = [];
afterEach(async () => {
  await Promise.all(clusters.splice(0).map((c) => c.close()));
});

async function podNames(random?: () => number): Promise<string[]> {
  const cluster = await createMockCluster({ tls: false, ...(random ? { podNameRandom: random } : {}) });
  clusters.push(cluster);
  await cluster.apply(DEPLOYMENT);
  return waitFor('the Deployment to create three pods', () => {
    const names = cluster.list('pods', 'default').map((p) => p.metadata.name ?? '');
    return names.length === 3 ? names.sort() : undefined;
  });
}

describe('pod names of Deployments', () => {
  it('end in five characters of the alphabet kube-apiserver uses', () => {
    expect(podNameSuffix(() => 0)).toBe('bbbbb');
    expect(podNameSuffix(() => 0.999_999)).toBe('99999');
    expect(podNameSuffix(repeatableRandom(1))).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('are the same on every run with the same repeatable generator, and differ without one', async () => {
    const first = await podNames(repeatableRandom(7));
    const second = await podNames(repeatableRandom(7));
    expect(second).toEqual(first);
    for (const name of first) expect(name).toMatch(/^web-[a-z0-9]{10}-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const unrepeatable = await podNames();
    expect(unrepeatable).toHaveLength(3);
    expect(new Set([...first, ...unrepeatable]).size).toBe(6);
  });
});
