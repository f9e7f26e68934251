import { createKubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { waitFor } from '@kubesmart/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleBaseline, handlesAbove } from './activeHandles.js';
import { backendFixture } from './backendFixture.js';
import { type HttpResult, httpGet } from './httpGet.js';
import { unreachableKubeConfig } from './unreachableCluster.js';

/** The options every adapter takes: core options (here a kubeconfig and a namespace) plus `services`. */
export interface ContractOptions {
  kubeConfig: MockCluster['kubeConfig'];
  namespace: string;
  /** One declared service, under the alias `backend`. */
  services: { backend: string };
}

/** A running app with the adapter installed, listening on a loopback port. */
export interface ContractApp {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string;
  /** Closes the server and the adapter (its watches, timers and sockets). */
  close(): Promise<void>;
}

/**
 * How the suite drives one adapter. `start(options)` builds an app with the adapter installed with
 * `options` and two routes:
 * - `GET /backend`: answers 200 with the JSON body of `services.backend.fetch('/')` (the pod's
 *   `{ pod, namespace, port }`), or a 5xx when that throws;
 * - `GET /kv/:key`: answers 200 with `{ value }`, the value of `key` in the KV bucket `contract`
 *   reached through the adapter (`req.kube.kv('contract')`, `@InjectKv('contract')`, ...);
 * - the health route at `healthPath`: 200 when the adapter reports up, 503 with details when down.
 */
export interface AdapterHarness {
  start(options: ContractOptions): Promise<ContractApp>;
  /** @default '/kubesmart/healthz' */
  healthPath?: string;
}

const NAMESPACE = 'contract';
const REPLICAS = 3;

interface PodReply {
  pod: string;
  namespace: string;
  port: number;
}

function readyPodNames(cluster: MockCluster): string[] {
  return cluster
    .list('pods', NAMESPACE)
    .filter((pod) => {
      const status = pod.status as { conditions?: { type: string; status: string }[] } | undefined;
      return status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    })
    .map((pod) => pod.metadata.name ?? '');
}

async function scale(cluster: MockCluster, replicas: number): Promise<void> {
  await cluster.apply(backendFixture({ namespace: NAMESPACE, replicas }));
  await waitFor(
    `${replicas} ready backend pods`,
    () => readyPodNames(cluster).length === replicas && cluster.list('pods', NAMESPACE).length === replicas,
  );
}

const statusIs = (url: string, status: number) => async (): Promise<HttpResult | undefined> => {
  const result = await httpGet(url);
  return result.status === status ? result : undefined;
};

/**
 * The contract every kubesmart framework adapter meets, run against `@kubesmart/mock` over real HTTP:
 * injection of services and KV buckets, failover visible through the framework, health up and down, booting while the cluster is
 * unreachable, and a shutdown that leaves no open handles.
 */
export function describeAdapterContract(name: string, harness: AdapterHarness): void {
  const healthPath = harness.healthPath ?? '/kubesmart/healthz';

  describe(`${name}: adapter contract`, () => {
    let cluster: MockCluster;
    let options: ContractOptions;

    beforeAll(async () => {
      // Readiness probes time out after min(interval, 1 s): 250 ms keeps them from flapping on a busy
      // machine while pods still leave and join the endpoints within a fraction of a second.
      cluster = await createMockCluster({ probeIntervalMs: 250 });
      await cluster.apply(backendFixture({ namespace: NAMESPACE, replicas: REPLICAS }));
      await waitFor('ready backend pods', () => readyPodNames(cluster).length === REPLICAS);
      options = { kubeConfig: cluster.kubeConfig, namespace: NAMESPACE, services: { backend: 'backend' } };
    });

    afterAll(async () => {
      await cluster?.close();
    });

    it('injects the declared service: a route answers with what services.backend.fetch() got', async () => {
      const app = await harness.start(options);
      try {
        const { body } = await waitFor('GET /backend 200', statusIs(`${app.baseUrl}/backend`, 200));
        const reply = body as PodReply;
        expect(reply).toMatchObject({ namespace: NAMESPACE, port: 8080 });
        expect(cluster.list('pods', NAMESPACE).map((pod) => pod.metadata.name)).toContain(reply.pod);
      } finally {
        await app.close();
      }
    });

    it('injects KV buckets: a route reads what was written to the bucket', async () => {
      const writer = createKubeSmart({ kubeConfig: cluster.kubeConfig, namespace: NAMESPACE });
      await writer.kv('contract').set('greeting', 'hello from the cluster');
      await writer.close();
      const app = await harness.start(options);
      try {
        const { body } = await waitFor('GET /kv/greeting 200', statusIs(`${app.baseUrl}/kv/greeting`, 200));
        expect(body).toEqual({ value: 'hello from the cluster' });
      } finally {
        await app.close();
      }
    });

    it('fails over through the framework: a pod killed under requests costs no idempotent GET', async () => {
      const app = await harness.start(options);
      try {
        await waitFor('GET /backend 200', statusIs(`${app.baseUrl}/backend`, 200));
        const total = 300;
        const killAfter = 60;
        const results: { status: number; pod: string | undefined; afterKill: boolean; body: unknown }[] = [];
        let killed: string | undefined;
        let killDone = false;
        let sent = 0;
        const worker = async (): Promise<void> => {
          while (sent < total) {
            sent += 1;
            const afterKill = killDone;
            const { status, body } = await httpGet(`${app.baseUrl}/backend`);
            results.push({ status, pod: (body as Partial<PodReply>)?.pod, afterKill, body });
            if (results.length === killAfter && killed === undefined) {
              killed = results.at(-1)?.pod;
              if (killed) await cluster.pods.kill(killed, { namespace: NAMESPACE });
              killDone = true;
            }
          }
        };
        await Promise.all(Array.from({ length: 4 }, worker));

        expect(killed).toBeDefined();
        const failures = results.filter((r) => r.status !== 200);
        expect(failures, `failed requests: ${JSON.stringify(failures.slice(0, 5))}`).toEqual([]);
        const afterKill = results.filter((r) => r.afterKill);
        expect(afterKill.length).toBeGreaterThan(100);
        expect(afterKill.filter((r) => r.pod === killed)).toEqual([]);
      } finally {
        await app.close();
        await scale(cluster, REPLICAS);
      }
    });

    it('reports health up with ready endpoints, and down with details when none are left', async () => {
      const app = await harness.start(options);
      try {
        await waitFor(`GET ${healthPath} 200`, statusIs(`${app.baseUrl}${healthPath}`, 200));

        await scale(cluster, 0);
        const down = await waitFor(
          `GET ${healthPath} 503 after scaling to 0`,
          statusIs(`${app.baseUrl}${healthPath}`, 503),
        );
        expect(JSON.stringify(down.body)).toContain('backend');

        await scale(cluster, REPLICAS);
        await waitFor(`GET ${healthPath} 200 again`, statusIs(`${app.baseUrl}${healthPath}`, 200));

        const pods = readyPodNames(cluster);
        for (const pod of pods) cluster.pods.fail(pod, 500, { namespace: NAMESPACE });
        const failing = await waitFor(
          `GET ${healthPath} 503 with every pod failing`,
          statusIs(`${app.baseUrl}${healthPath}`, 503),
        );
        expect(JSON.stringify(failing.body)).toContain('backend');
        for (const pod of pods) await cluster.pods.restore(pod, { namespace: NAMESPACE });
        await waitFor(`GET ${healthPath} 200 restored`, statusIs(`${app.baseUrl}${healthPath}`, 200));
      } finally {
        await app.close();
      }
    });

    it('boots while the cluster is unreachable and reports down instead of crashing', async () => {
      const app = await harness.start({ ...options, kubeConfig: await unreachableKubeConfig(NAMESPACE) });
      try {
        const health = await waitFor(
          `GET ${healthPath} 503 without a cluster`,
          statusIs(`${app.baseUrl}${healthPath}`, 503),
        );
        expect(JSON.stringify(health.body)).toContain('backend');
      } finally {
        await app.close();
      }
    });

    it('leaves no open handles after close', async () => {
      const baseline = await handleBaseline();
      const app = await harness.start(options);
      await waitFor('GET /backend 200', statusIs(`${app.baseUrl}/backend`, 200));
      await waitFor(`GET ${healthPath} 200`, statusIs(`${app.baseUrl}${healthPath}`, 200));
      await app.close();
      let extra = handlesAbove(baseline);
      await waitFor(
        'active handles back to the baseline',
        () => {
          extra = handlesAbove(baseline);
          return Object.keys(extra).length === 0;
        },
        { timeoutMs: 5000 },
      ).catch(() => undefined);
      expect(extra, 'handles left open after close, by type').toEqual({});
    });
  });
}
