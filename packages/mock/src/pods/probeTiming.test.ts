import { waitFor } from '@kubesmart/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockCluster, type KubeObject, type MockCluster } from '../index.js';

// probeTiming: 'kubelet' times readiness as kubelet does: a probe's periodSeconds and failureThreshold.

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster({ tls: false, probeTiming: 'kubelet' });
});
afterAll(() => cluster.close());

const pod = (name: string, failureThreshold: number): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    containers: [
      {
        name: 'web',
        image: 'web:1',
        ports: [{ name: 'http', containerPort: 8080 }],
        readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold },
      },
    ],
  },
});

const ready = (name: string): boolean =>
  (
    cluster.get('pods', name, 'default')?.status as
      | { conditions?: { type: string; status: string }[] }
      | undefined
  )?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

/** Failed readiness probes of a pod so far: the count of its Unhealthy Events. */
const failedProbes = (name: string): number =>
  cluster
    .list('events', 'default')
    .filter((e) => {
      const event = e as KubeObject & { involvedObject?: { name?: string }; reason?: string };
      return event.involvedObject?.name === name && event.reason === 'Unhealthy';
    })
    .reduce((n, e) => n + ((e as { count?: number }).count ?? 1), 0);

describe("probeTiming: 'kubelet'", () => {
  it('keeps a hung pod Ready until its probe failed failureThreshold times in a row', async () => {
    await cluster.apply(pod('hung', 2));
    await waitFor('the pod to be ready', () => ready('hung'));
    cluster.pods.hang('hung');
    let failuresWhileReady = 0;
    await waitFor('the pod to turn NotReady', () => {
      if (ready('hung')) {
        failuresWhileReady = failedProbes('hung');
        return false;
      }
      return true;
    });
    expect(failuresWhileReady).toBeGreaterThanOrEqual(1);
    expect(failedProbes('hung')).toBeGreaterThanOrEqual(2);
    await cluster.pods.restore('hung');
    await waitFor('the pod to be ready again', () => ready('hung'));
  });

  it('keeps a killed pod Ready, as a pod whose node went silent, until the threshold; then it fails', async () => {
    await cluster.apply(pod('killed', 3));
    await waitFor('the pod to be ready', () => ready('killed'));
    await cluster.pods.kill('killed');
    await waitFor('the kill to be noticed', () => !ready('killed'));
    expect(failedProbes('killed')).toBeGreaterThanOrEqual(3);
    await waitFor('the pod to fail', () => {
      const phase = (cluster.get('pods', 'killed', 'default')?.status as { phase?: string } | undefined)
        ?.phase;
      return phase === 'Failed';
    });
  });
});
