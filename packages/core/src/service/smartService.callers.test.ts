import { request } from 'node:http';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, kubeSmartFor, podOf, serverEndpoints, waitInStep } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import type { KubeSmart } from '../instance/kubeSmart.js';
import type { Endpoint } from '../types.js';
import type { SmartService } from './smartService.js';

/**
 * Callers who resolve and then call the pod themselves (`pick()`, then their own client), and
 * `fetch()` callers, when a pod is killed or hung: what they are handed and what it costs them.
 */

let cluster: MockCluster;
let slowReadiness: MockCluster;
let ks: KubeSmart | undefined;

beforeAll(async () => {
  [cluster, slowReadiness] = await Promise.all([
    createMockCluster(),
    // As real clusters: a dead pod stays in its EndpointSlice for up to 30 s.
    createMockCluster({ probeIntervalMs: 30_000 }),
  ]);
});
afterEach(async () => {
  await ks?.close();
  ks = undefined;
});
afterAll(() => Promise.all([cluster.close(), slowReadiness.close()]));

/** A caller's own HTTP client: one GET on a fresh connection; resolves with the pod that answered. */
function ownGet(endpoint: Endpoint): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: endpoint.host, port: endpoint.port, path: '/', agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString()) as { pod: string }).pod));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** `count` back-to-back resolve-then-call rounds; the failures, and the pods that answered. */
async function resolveAndCall(
  count: number,
  resolve: () => Endpoint | Promise<Endpoint>,
  report?: SmartService,
): Promise<{ failed: number; pods: string[] }> {
  let failed = 0;
  const pods: string[] = [];
  for (let i = 0; i < count; i++) {
    const endpoint = await resolve();
    try {
      pods.push(await ownGet(endpoint));
      report?.report(endpoint);
    } catch (error) {
      failed++;
      report?.report(endpoint, error);
    }
  }
  return { failed, pods };
}

async function readyService(on: MockCluster, app: string, options = {}): Promise<SmartService> {
  await deployApp(on, app, { replicas: 3 });
  ks = kubeSmartFor(on);
  const svc = ks.service(app, options);
  await waitInStep(on, svc, 3);
  await svc.ready({ healthChecked: true });
  return svc;
}

const stateOf = (svc: SmartService, endpoint: Endpoint) =>
  svc.endpoints().find((e) => e.endpoint.id === endpoint.id && e.endpoint.pod === endpoint.pod);

describe('a killed pod, for callers who pick() and call it themselves', () => {
  it('report() takes it out at its first reported failure: at most one failed call', async () => {
    const svc = await readyService(cluster, 'killed-report');
    const victim = svc.endpoints()[0]!.endpoint;
    await cluster.pods.kill(victim.pod!);
    const { failed, pods } = await resolveAndCall(50, () => svc.pick(), svc);
    expect(failed).toBeLessThanOrEqual(1);
    expect(pods).toHaveLength(50 - failed);
    expect(pods).not.toContain(victim.pod);
    expect(stateOf(svc, victim)?.available ?? false).toBe(false);
  });

  it('report() of a success or of a caller error does not count against the endpoint', async () => {
    const svc = await readyService(cluster, 'report-ok');
    const endpoint = svc.pick();
    expect(svc.report(endpoint)).toBe(true);
    expect(svc.report(endpoint, new TypeError('the caller parsed the body wrong'))).toBe(true);
    expect(stateOf(svc, endpoint)).toMatchObject({ available: true, failures: 0, consecutiveFailures: 0 });
    const gone = { ...endpoint, id: '127.0.0.1:1', host: '127.0.0.1', port: 1 };
    expect(svc.report(gone, new Error('x'))).toBe(false);
  });

  it('with 30 s readiness, the default active checks take it out while the cluster still lists it', async () => {
    const svc = await readyService(slowReadiness, 'killed-slow');
    const victim = svc.endpoints()[1]!.endpoint;
    const unhealthy = new Promise<string | undefined>((resolve) =>
      svc.on('health', (event) => {
        if (event.endpoint.id === victim.id && event.status === 'unhealthy') resolve(event.reason);
      }),
    );
    await slowReadiness.pods.kill(victim.pod!);
    expect(await unhealthy).toBe('ECONNREFUSED');
    expect(serverEndpoints(slowReadiness, 'killed-slow')).toContain(victim.id);
    const { failed, pods } = await resolveAndCall(50, () => svc.pick());
    expect(failed).toBe(0);
    expect(pods).not.toContain(victim.pod);
  });

  it('pickReachable() checks the endpoint it hands out: no failed call even without health checks', async () => {
    const svc = await readyService(slowReadiness, 'killed-reachable', {
      health: false,
      reachability: { ttlMs: 0 },
    });
    const victim = svc.endpoints()[2]!.endpoint;
    await slowReadiness.pods.kill(victim.pod!);
    const { failed, pods } = await resolveAndCall(50, () => svc.pickReachable());
    expect(failed).toBe(0);
    expect(pods).not.toContain(victim.pod);
  });
});

describe('a hung pod, for fetch() callers', () => {
  it('hedges to another pod instead of waiting for the attempt timeout, and takes the hung pod out', async () => {
    const svc = await readyService(cluster, 'hung-fetch');
    for (let i = 0; i < 40; i++) await (await svc.fetch('/warm')).arrayBuffer();
    const victim = svc.endpoints()[0]!.endpoint;
    cluster.pods.hang(victim.pod!);
    const out = waitFor('the hung pod out', () => stateOf(svc, victim)?.available === false, {
      timeoutMs: 60_000,
    });
    const answered: string[] = [];
    let hedged = 0;
    for (let i = 0; i < 30; i++) {
      const response = await svc.fetch(`/orders/${i}`, { timeoutMs: 60_000 });
      expect(response.status).toBe(200);
      answered.push(await podOf(response));
      if (response.attempts > 1) hedged++;
    }
    await out;
    expect(answered).not.toContain(victim.pod);
    expect(hedged).toBeGreaterThan(0);
    expect(svc.status().failoverCount).toBeGreaterThanOrEqual(hedged);
  });

  it('does not hedge a request that is not idempotent', async () => {
    const svc = await readyService(cluster, 'hung-post', { balancer: 'round-robin', circuitBreaker: false });
    for (let i = 0; i < 30; i++) await (await svc.fetch('/warm')).arrayBuffer();
    const victim = svc.endpoints()[0]!.endpoint;
    cluster.pods.hang(victim.pod!);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => svc.fetch(`/orders/${i}`, { method: 'POST', timeoutMs: 1000 })),
    );
    const timedOut = results.filter((r) => r.status === 'rejected');
    expect(timedOut.length).toBeGreaterThan(0);
    for (const r of timedOut) expect((r as PromiseRejectedResult).reason.code).toBe('UPSTREAM');
    for (const r of results) if (r.status === 'fulfilled') expect(r.value.attempts).toBe(1);
  });
});
