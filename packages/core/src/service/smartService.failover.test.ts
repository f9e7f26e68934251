import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, drive, kubeSmartFor, podOf, waitInStep } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { UpstreamError } from '../errors.js';
import type { EjectionEvent, RestoreEvent } from '../health/outlierDetector.js';
import type { KubeSmart } from '../instance/kubeSmart.js';
import type { BreakerEvent } from '../resilience/circuitBreaker.js';
import type { FailoverEvent } from '../resilience/failoverOptions.js';

let cluster: MockCluster;
let ks: KubeSmart;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
});
afterEach(async () => {
  await ks?.close();
});
afterAll(() => cluster.close());

describe('SmartService failover', () => {
  it('loses no idempotent call when a pod is killed under load', async () => {
    await deployApp(cluster, 'doomed', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('doomed', { health: false });
    await waitInStep(cluster, svc, 3);
    const victim = svc.endpoints()[1]!.endpoint.pod!;
    const results = await drive(300, 6, async (i) => {
      if (i === 60) await cluster.pods.kill(victim);
      return podOf(await svc.fetch(`/orders/${i}`));
    });
    const failures = results.filter((r) => r.status === 'rejected');
    expect(failures).toEqual([]);
    const answers = results.map((r) => (r as PromiseFulfilledResult<string>).value);
    expect(answers.slice(0, 60)).toContain(victim);
    expect(answers.slice(90)).not.toContain(victim);
    expect(svc.status().calls).toMatchObject({ calls: 300, failed: 0 });
    await waitFor('the killed pod to leave', () => !svc.endpoints().some((e) => e.endpoint.pod === victim));
  });

  it('ejects a hung pod through timeouts and outlier detection, and moves traffic away', async () => {
    await deployApp(cluster, 'stuck', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('stuck', {
      health: false,
      circuitBreaker: false,
      outlierDetection: { consecutiveFailures: 2 },
      retry: { timeoutMs: 1000 },
    });
    await waitInStep(cluster, svc, 3);
    const hung = svc.endpoints()[0]!.endpoint;
    const ejected: EjectionEvent[] = [];
    svc.on('ejected', (event) => ejected.push(event));
    cluster.pods.hang(hung.pod!);
    const before = await drive(40, 4, async () => (await svc.fetch('/')).endpoint.pod);
    expect(before.filter((r) => r.status === 'rejected')).toEqual([]);
    await waitFor('the ejection', () => ejected.length > 0);
    expect(ejected[0]).toMatchObject({ endpoint: { id: hung.id }, ejections: 1, consecutiveFailures: 2 });
    expect(svc.status().ejected).toBe(1);
    expect(svc.endpoints().find((e) => e.endpoint.id === hung.id)).toMatchObject({
      ejected: true,
      available: false,
    });
    const after = await drive(30, 3, async () => (await svc.fetch('/')).endpoint.pod);
    expect(after.map((r) => r.status === 'fulfilled' && r.value !== hung.pod)).not.toContain(false);
    await cluster.pods.restore(hung.pod!);
  });

  it('retries an idempotent request on 503 elsewhere, and returns the last 5xx when attempts run out', async () => {
    await deployApp(cluster, 'flaky', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('flaky', { health: false, circuitBreaker: false, outlierDetection: false });
    await waitInStep(cluster, svc, 3);
    const pods = svc.endpoints().map((e) => e.endpoint.pod!);
    const failovers: FailoverEvent[] = [];
    svc.on('failover', (event) => failovers.push(event));
    cluster.pods.fail(pods[0]!, 503);
    const results = await drive(30, 3, async () => {
      const response = await svc.fetch('/');
      await response.body?.cancel();
      return response.status;
    });
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : r.reason))).toEqual(Array(30).fill(200));
    expect(failovers.length).toBeGreaterThan(0);
    expect(failovers[0]?.from.pod).toBe(pods[0]);

    for (const pod of pods) cluster.pods.fail(pod, 503);
    const get = await svc.fetch('/all-down');
    expect(get.status).toBe(503);
    expect(get.attempts).toBe(3);
    expect(await get.text()).toContain('injected failure');
    const post = await svc.fetch('/orders', { method: 'POST', body: '{}' });
    expect([post.status, post.attempts]).toEqual([503, 1]);
    await post.body?.cancel();
    const forced = await svc.fetch('/orders', { method: 'POST', body: '{}', idempotent: true });
    expect([forced.status, forced.attempts]).toEqual([503, 3]);
    await forced.body?.cancel();
    for (const pod of pods) await cluster.pods.restore(pod);
  });

  it('passes 4xx through as responses, neither retried nor held against the pod', async () => {
    await deployApp(cluster, 'strict', { replicas: 2 });
    const registration = cluster.pods.handle('app=strict', (_req, res) => {
      res.statusCode = 404;
      res.end('no such order');
    });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('strict', { health: false });
    await waitInStep(cluster, svc, 2);
    const response = await svc.fetch('/orders/7');
    expect([response.status, response.attempts, await response.text()]).toEqual([404, 1, 'no such order']);
    expect(svc.status().calls).toMatchObject({ failovers: 0, failed: 0, succeeded: 1 });
    expect(svc.endpoints().every((e) => e.failures === 0)).toBe(true);
    registration.remove();
  });

  it('call() fails over on connection errors and throws UpstreamError with advice when attempts run out', async () => {
    await deployApp(cluster, 'caller', { replicas: 2 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('caller', { health: false, circuitBreaker: false, outlierDetection: false });
    await waitInStep(cluster, svc, 2);
    const [first, second] = svc.endpoints().map((e) => e.endpoint);
    const seen: string[] = [];
    const value = await svc.call(
      async (endpoint) => {
        seen.push(endpoint.id);
        if (endpoint.id === first!.id)
          throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
        return endpoint.pod;
      },
      { key: 'k' },
    );
    expect(value).toBe(second!.pod);
    expect(seen.at(-1)).toBe(second!.id);
    const error = await svc
      .call(
        async () => {
          throw new UpstreamError('busy', { status: 503 });
        },
        { idempotent: true },
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamError);
    expect((error as UpstreamError).status).toBe(503);
    expect((error as UpstreamError).message).toMatch(/failed after 3 attempts .*Check those pods/);
    const notRetried = await svc
      .call(async () => {
        throw new UpstreamError('busy', { status: 503 });
      })
      .catch((e: unknown) => e);
    expect((notRetried as UpstreamError).message).toContain(
      'pass `{ idempotent: true }` if repeating it is safe',
    );
  });

  it('fires breaker, health, ejected and restored events', async () => {
    await deployApp(cluster, 'noisy', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('noisy', {
      balancer: 'round-robin',
      health: { type: 'http', path: '/healthz', intervalMs: 50, unhealthyThreshold: 1, healthyThreshold: 1 },
      circuitBreaker: { failureThreshold: 1, openMs: 100 },
      outlierDetection: { consecutiveFailures: 1, baseEjectionTimeMs: 100 },
    });
    await waitInStep(cluster, svc, 3);
    const bad = svc.endpoints()[2]!.endpoint;
    const events: string[] = [];
    const breakers: BreakerEvent[] = [];
    const restored: RestoreEvent[] = [];
    svc.on('breaker', (e) => breakers.push(e));
    svc.on('restored', (e) => restored.push(e));
    svc.on('ejected', (e) => events.push(`ejected ${e.endpoint.id}`));
    svc.on('health', (e) => events.push(`health ${e.endpoint.id} ${e.status}`));
    cluster.pods.fail(bad.pod!, 500);
    await waitFor('a failure on the bad pod', async () => {
      const response = await svc.fetch('/');
      await response.body?.cancel();
      return events.includes(`ejected ${bad.id}`);
    });
    expect(breakers[0]).toMatchObject({ endpoint: { id: bad.id }, state: 'open', previous: 'closed' });
    await waitFor('health checks to mark it unhealthy', () => events.includes(`health ${bad.id} unhealthy`));
    await waitFor('the ejection to end', () => restored.some((e) => e.endpoint.id === bad.id));
    await cluster.pods.restore(bad.pod!);
    await waitFor('health checks to bring it back', () => events.includes(`health ${bad.id} healthy`));
  });

  it('reset() closes breakers and lifts ejections at once, and refuses after close', async () => {
    await deployApp(cluster, 'resettable', { replicas: 2 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('resettable', {
      balancer: 'round-robin',
      health: false,
      circuitBreaker: { failureThreshold: 1, openMs: 600_000 },
      outlierDetection: { consecutiveFailures: 1, baseEjectionTimeMs: 300_000, maxEjectionPercent: 100 },
    });
    await waitInStep(cluster, svc, 2);
    const bad = svc.endpoints()[0]!.endpoint;
    cluster.pods.fail(bad.pod!, 500);
    await waitFor('the bad pod to be taken out', async () => {
      const response = await svc.fetch('/');
      await response.body?.cancel();
      const status = svc.endpoints().find((e) => e.endpoint.id === bad.id);
      return status?.circuit === 'open' && status.ejected;
    });
    await cluster.pods.restore(bad.pod!);
    svc.reset();
    const after = svc.endpoints().find((e) => e.endpoint.id === bad.id);
    expect(after).toMatchObject({ circuit: 'closed', ejected: false });
    expect(svc.status().ejected).toBe(0);
    await svc.close();
    expect(() => svc.reset()).toThrow(/close/);
  });
});
