import {
  createMockCluster,
  type KubeObject,
  type MockCluster,
  repeatableRandom,
  waitForPods,
} from '@kubesmart/mock';

const deployment = (name: string, replicas: number, image: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'default', labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name, tier: 'backend' } },
      spec: { containers: [{ name, image }] },
    },
  },
});

const pod = (name: string, image: string, labels: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels },
  spec: { containers: [{ name: 'main', image }] },
});

const SAMPLE: KubeObject[] = [
  deployment('web', 3, 'nginx:1.27'),
  deployment('payments', 1, 'hooli/payments:2.3.1'),
  {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
  },
  pod('image-typo', 'hooli/nlp_mian:latest', { app: 'nlp' }),
  pod('batch-oom', 'hooli/batch:1.0', { app: 'batch' }),
  pod('big-job', 'hooli/trainer:4.0', { app: 'trainer' }),
];

const running = (cluster: MockCluster, selector?: string): KubeObject[] =>
  cluster
    .list('pods', 'default', selector ? { labelSelector: selector } : {})
    .filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');

/**
 * An embedded emulated cluster (`--mock`) with healthy pods (Deployment `web`, 3 replicas, and its
 * Service) and broken ones: `payments-*` in CrashLoopBackOff, `image-typo` in ImagePullBackOff,
 * `batch-oom` OOM-killed, `big-job` Unschedulable. Pod names are the same on every run. Closed with
 * the session.
 */
export async function startSampleCluster(): Promise<MockCluster> {
  // Repeatable pod names: `payments-...` is the same pod on every run, so commands can be repeated.
  const cluster = await createMockCluster({ probeIntervalMs: 100, podNameRandom: repeatableRandom(17) });
  try {
    await cluster.apply(SAMPLE);
    await waitForPods(cluster, { count: 7, state: 'running', namespace: 'default' });
    const [payments] = running(cluster, 'app=payments');
    const crashing = payments?.metadata.name ?? '';
    cluster.pods.appendLog(crashing, 'payments 2.3.1 starting\nconnecting to postgres at 10.0.0.12:5432');
    cluster.pods.appendLog(crashing, 'Error: connect ECONNREFUSED 10.0.0.12:5432');
    cluster.pods.appendLog('batch-oom', 'loading 12000000 rows into memory');
    await cluster.pods.setContainerState(crashing, 'CrashLoopBackOff');
    await cluster.pods.setContainerState('image-typo', 'ImagePullBackOff');
    await cluster.pods.setContainerState('batch-oom', 'OOMKilled');
    await cluster.pods.setContainerState('big-job', 'Unschedulable');
    return cluster;
  } catch (error) {
    await cluster.close();
    throw error;
  }
}
