/**
 * Query engine against the naive way, on an emulated cluster of 5,000 pods in 50 namespaces: each
 * typical query as the engine plans it (selectors on the server, one or a few lists, a watch cache
 * when one exists) against listing every pod and filtering locally. Objects transferred and time,
 * as ratios, in one run.
 */
import { createMockCluster, type KubeObject, resourceByPath } from '@kubesmart/mock';
import { systemClock } from '../src/clock.js';
import { KubeClient } from '../src/cluster/kubeClient.js';
import type { KubeList } from '../src/cluster/kubeObject.js';
import { PODS } from '../src/cluster/resources.js';
import { WatchCacheRegistry } from '../src/cluster/watchCacheRegistry.js';
import { noopLogger } from '../src/logger.js';
import { QueryEngine } from '../src/query/queryEngine.js';
import type { Measurement, Row, Section } from './harness.js';

const NAMESPACES = 50;
const PODS_PER_NAMESPACE = 100;
const SAMPLES = 15;
const APPS = ['web', 'api', 'worker', 'cache', 'db'];

function fakePod(ns: number, i: number): KubeObject {
  const namespace = `team-${String(ns).padStart(2, '0')}`;
  const app = APPS[i % APPS.length] ?? 'web';
  const crashing = i % 20 === 7;
  const pending = i % 33 === 5;
  const now = new Date().toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${app}-${namespace}-${String(i).padStart(3, '0')}`,
      namespace,
      labels: { app, tier: i % 2 ? 'backend' : 'frontend', release: `r${i % 4}` },
    },
    spec: {
      nodeName: pending ? undefined : `node-${i % 10}`,
      containers: [
        {
          name: 'main',
          image: `registry.local/${app}:1.${i % 7}`,
          ports: [{ containerPort: 8080 }],
          resources: { requests: { cpu: '100m', memory: '128Mi' } },
        },
      ],
    },
    status: {
      phase: pending ? 'Pending' : 'Running',
      podIP: pending ? undefined : `10.${ns}.${Math.floor(i / 250)}.${i % 250}`,
      conditions: [
        { type: 'Ready', status: crashing || pending ? 'False' : 'True', lastTransitionTime: now },
      ],
      containerStatuses: pending
        ? []
        : [
            {
              name: 'main',
              image: `registry.local/${app}:1.${i % 7}`,
              ready: !crashing,
              restartCount: crashing ? 12 : 0,
              state: crashing
                ? { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } }
                : { running: { startedAt: now } },
              lastState: crashing ? { terminated: { exitCode: 1, reason: 'Error', finishedAt: now } } : {},
            },
          ],
    },
  } as unknown as KubeObject;
}

interface Case {
  readonly name: string;
  readonly run: (q: QueryEngine) => Promise<{ objects: number; matched: number; requests: number }>;
  /** The same answer the naive way, from every pod. */
  readonly naive: (pods: KubeObject[]) => KubeObject[];
}

const labels = (p: KubeObject) => p.metadata?.labels ?? {};
const phase = (p: KubeObject) => (p.status as { phase?: string } | undefined)?.phase;
const waiting = (p: KubeObject) =>
  ((p.status as { containerStatuses?: { state?: { waiting?: unknown } }[] }).containerStatuses ?? []).some(
    (c) => c.state?.waiting,
  );

const explained = async (query: {
  explain(): Promise<{
    objectsTransferred: number;
    objectsFromCache: number;
    matched: number;
    requests: number;
  }>;
}) => {
  const e = await query.explain();
  return { objects: e.objectsTransferred, matched: e.matched, requests: e.requests };
};

const CASES: Case[] = [
  {
    name: 'broken pods in 2 namespaces',
    run: (q) => explained(q.pods().inNamespaces('team-07', 'team-08').broken()),
    naive: (pods) =>
      pods.filter((p) => ['team-07', 'team-08'].includes(p.metadata?.namespace ?? '') && waiting(p)),
  },
  {
    name: 'app=db,tier=backend, every namespace',
    run: (q) => explained(q.pods().withLabels({ app: 'db', tier: 'backend' })),
    naive: (pods) => pods.filter((p) => labels(p).app === 'db' && labels(p).tier === 'backend'),
  },
  {
    name: 'Pending pods outside 2 namespaces',
    run: (q) => explained(q.pods().notInNamespaces('team-00', 'team-01').pending()),
    naive: (pods) =>
      pods.filter(
        (p) => !['team-00', 'team-01'].includes(p.metadata?.namespace ?? '') && phase(p) === 'Pending',
      ),
  },
  {
    name: 'one pod by name in a namespace',
    run: async (q) => explained(q.pods().inNamespace('team-42').named('db-team-42-004')),
    naive: (pods) => pods.filter((p) => p.metadata?.name === 'db-team-42-004'),
  },
  {
    name: 'release=r1 in 3 namespaces (3 namespace lists)',
    run: (q) =>
      explained(q.pods().inNamespaces('team-10', 'team-11', 'team-12').withLabels({ release: 'r1' })),
    naive: (pods) =>
      pods.filter(
        (p) =>
          ['team-10', 'team-11', 'team-12'].includes(p.metadata?.namespace ?? '') &&
          labels(p).release === 'r1',
      ),
  },
  {
    name: 'release=r1 in 4 namespaces (one cluster-wide list)',
    run: (q) =>
      explained(
        q.pods().inNamespaces('team-10', 'team-11', 'team-12', 'team-13').withLabels({ release: 'r1' }),
      ),
    naive: (pods) =>
      pods.filter(
        (p) =>
          ['team-10', 'team-11', 'team-12', 'team-13'].includes(p.metadata?.namespace ?? '') &&
          labels(p).release === 'r1',
      ),
  },
];

async function time(fn: () => Promise<unknown>): Promise<Measurement> {
  for (let i = 0; i < 3; i++) await fn();
  const samplesNs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = process.hrtime.bigint();
    await fn();
    samplesNs.push(Number(process.hrtime.bigint() - start));
  }
  return { samplesNs, gcs: 0, bytesPerOp: undefined };
}

const median = (m: Measurement): number =>
  [...m.samplesNs].sort((a, b) => a - b)[Math.floor(m.samplesNs.length / 2)] ?? Number.NaN;

export async function queryBench(): Promise<Section> {
  const cluster = await createMockCluster({ tls: true });
  await cluster.pods.close(); // the pods are data only: no emulated kubelet, probes or servers
  const client = new KubeClient({ kubeConfig: cluster.kubeConfig, requestTimeoutMs: 120_000 });
  const registry = new WatchCacheRegistry({ client });
  const context = {
    client,
    registry,
    namespace: 'default',
    logger: noopLogger,
    clock: systemClock,
    random: Math.random,
  };
  const q = new QueryEngine({ context });
  const rows: Row[] = [];
  const verdicts: string[] = [];
  try {
    const nsType = resourceByPath('v1', 'namespaces')!;
    const podType = resourceByPath('v1', 'pods')!;
    for (let ns = 0; ns < NAMESPACES; ns++) {
      cluster.store.create(nsType, {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: `team-${String(ns).padStart(2, '0')}` },
      });
      for (let i = 0; i < PODS_PER_NAMESPACE; i++) cluster.store.create(podType, fakePod(ns, i));
    }
    const naiveList = async (): Promise<KubeObject[]> =>
      (await client.request<KubeList>('GET', '/api/v1/pods')).items as KubeObject[];
    const all = await naiveList();
    for (const c of CASES) {
      const expected = c.naive(all).length;
      const ours = await c.run(q);
      if (ours.matched !== expected)
        throw new Error(`${c.name}: the engine found ${ours.matched}, the naive way ${expected}`);
      const naiveName = `naive: list all, filter: ${c.name}`;
      rows.push({
        name: naiveName,
        measurement: await time(async () => c.naive(await naiveList())),
        note: `${all.length} objects, 1 request`,
      });
      const m = await time(() => c.run(q));
      rows.push({
        name: `query: ${c.name}`,
        measurement: m,
        baseline: naiveName,
        note: `${ours.objects} objects (${((ours.objects / all.length) * 100).toFixed(1)}%), ${ours.requests} request(s), ${ours.matched} matched`,
      });
      const naiveMs = median(rows.at(-2)!.measurement) / 1e6;
      verdicts.push(
        `${c.name}: ${ours.objects} vs ${all.length} objects transferred (${(all.length / Math.max(1, ours.objects)).toFixed(0)}x fewer), ${(naiveMs / (median(m) / 1e6)).toFixed(1)}x faster`,
      );
    }
    const handle = registry.acquire({ resource: PODS });
    await handle.cache.waitForSync({ timeoutMs: 120_000 });
    const cached = CASES[0]!;
    const warm = await cached.run(q);
    rows.push({
      name: `query from a live watch cache: ${cached.name}`,
      measurement: await time(() => cached.run(q)),
      baseline: `naive: list all, filter: ${cached.name}`,
      note: `${warm.objects} objects transferred, ${warm.requests} requests`,
    });
    verdicts.push(`with a pods watch cache in the registry the same query sends ${warm.requests} requests`);
    handle.release();
  } finally {
    registry.close();
    client.close();
    await cluster.close();
  }
  return {
    heading: 'Queries on 5,000 pods in 50 namespaces',
    text: `Emulated API server over TLS on loopback; pods written straight into the store (no emulated kubelet). Each row: ${SAMPLES} runs after 3 warm-ups, median and p99 ns per query; ratio of medians to the naive way (one list of all ${NAMESPACES * PODS_PER_NAMESPACE} pods, filtered in JS). Every query's result is checked against the naive answer first.`,
    rows,
    verdicts,
  };
}
