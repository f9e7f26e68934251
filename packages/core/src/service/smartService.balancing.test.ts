import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  deployApp,
  drive,
  kubeSmartFor,
  podOf,
  resolvedEndpoints,
  tallyOf,
  waitInStep,
} from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import type { BalancerName } from '../balancing/balancer.js';
import type { KubeSmart } from '../instance/kubeSmart.js';
import type { Endpoint } from '../types.js';

let cluster: MockCluster;
let ks: KubeSmart;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
});
afterEach(async () => {
  await ks?.close();
});
afterAll(() => cluster.close());

describe('SmartService balancing', () => {
  it('spreads requests over every pod, and each response says which pod answered', async () => {
    await deployApp(cluster, 'spread', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    // No hedges: a loaded host could hedge a slow request, and the counts below are exact.
    const svc = ks.service('spread', { balancer: 'round-robin', hedge: false });
    await svc.ready({ timeoutMs: 10_000 });
    await waitInStep(cluster, svc, 3);
    const answers = await drive(60, 4, async () => {
      const response = await svc.fetch('/hello');
      const pod = await podOf(response);
      expect(response.endpoint.pod).toBe(pod);
      expect(response.attempts).toBe(1);
      return pod;
    });
    const counts = tallyOf(answers.map((a) => (a.status === 'fulfilled' ? a.value : 'failed')));
    expect(counts.get('failed')).toBeUndefined();
    expect(counts.size).toBe(3);
    for (const count of counts.values()) expect(count).toBe(20);
    expect(svc.status()).toMatchObject({
      pods: 3,
      endpointCount: 3,
      available: 3,
      source: 'endpointslices',
      ready: true,
    });
  });

  it('gives a slow pod less traffic with least-request and peak-EWMA than with round-robin', async () => {
    await deployApp(cluster, 'tortoise', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const first = ks.service('tortoise');
    await waitInStep(cluster, first, 3);
    const slow = first.endpoints()[0]!.endpoint.pod!;
    cluster.pods.slow(slow, 50);
    const slowShare = async (balancer: BalancerName): Promise<number> => {
      const svc = ks.service('tortoise', { balancer, health: false });
      await svc.ready();
      const answers = await drive(150, 6, async () => (await svc.fetch('/')).endpoint.pod);
      return answers.filter((a) => a.status === 'fulfilled' && a.value === slow).length;
    };
    const roundRobin = await slowShare('round-robin');
    const leastRequest = await slowShare('least-request');
    const peakEwma = await slowShare('peak-ewma');
    expect(roundRobin).toBe(50);
    expect(leastRequest).toBeLessThan(roundRobin * 0.8);
    expect(peakEwma).toBeLessThan(roundRobin * 0.8);
  });

  it('sends traffic again to a slow pod that recovered, as fast as latencyDecayMs lets its estimate fall', async () => {
    await deployApp(cluster, 'phoenix', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('phoenix', {
      balancer: 'peak-ewma',
      health: false,
      hedge: false,
      latencyDecayMs: 250,
    });
    await waitInStep(cluster, svc, 3);
    const slow = svc.endpoints()[0]!.endpoint.pod!;
    cluster.pods.slow(slow, 200);
    await waitFor('the slow pod to answer once', async () =>
      (await drive(12, 3, async () => (await svc.fetch('/')).endpoint.pod)).some(
        (a) => a.status === 'fulfilled' && a.value === slow,
      ),
    );
    const estimate = (): number => svc.endpoints().find((e) => e.endpoint.pod === slow)!.latencyMs;
    expect(estimate()).toBeGreaterThan(100);
    await cluster.pods.restore(slow);
    await waitFor('the recovered pod to get traffic again', async () =>
      (await drive(12, 3, async () => (await svc.fetch('/')).endpoint.pod)).some(
        (a) => a.status === 'fulfilled' && a.value === slow,
      ),
    );
    expect(estimate()).toBeLessThan(100);
  });

  it('refuses a latencyDecayMs that is not a positive number', () => {
    ks = kubeSmartFor(cluster);
    expect(() => ks.service('phoenix', { latencyDecayMs: 0 })).toThrow(/latencyDecayMs/);
  });

  it('follows scale up and down, releasing what it held for pods that left', async () => {
    await deployApp(cluster, 'elastic', { replicas: 2 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('elastic', { health: { intervalMs: 100 } });
    const changes: (readonly Endpoint[])[] = [];
    svc.on('change', (endpoints) => changes.push(endpoints));
    await waitInStep(cluster, svc, 2);
    await deployApp(cluster, 'elastic', { replicas: 5 });
    await waitInStep(cluster, svc, 5);
    const pods = new Set(
      (await drive(20, 5, async () => (await svc.fetch('/')).endpoint.pod)).map((a) => a.status),
    );
    expect(pods).toEqual(new Set(['fulfilled']));
    await deployApp(cluster, 'elastic', { replicas: 1 });
    const [last] = await waitInStep(cluster, svc, 1);
    expect(changes.at(-1)?.map((e) => e.id)).toEqual([last]);
    expect(svc.status().pods).toBe(1);
    expect(resolvedEndpoints(svc)).toEqual([last]);
  });

  it('hashes a key to the same pod, and returns the same SmartService for the same options', async () => {
    await deployApp(cluster, 'sticky', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('sticky', { balancer: 'consistent-hash', port: 'http' });
    expect(ks.service('sticky', { port: 'http', balancer: 'consistent-hash' })).toBe(svc);
    expect(ks.service('sticky')).not.toBe(svc);
    await waitInStep(cluster, svc, 3);
    const picked = new Set(Array.from({ length: 20 }, () => svc.pick('user-42').id));
    expect(picked.size).toBe(1);
    const response = await svc.fetch('/cart', { key: 'user-42' });
    expect(response.endpoint.id).toBe([...picked][0]);
    await response.body?.cancel();
  });

  it('prefers the local zone when zoneAware', async () => {
    await deployApp(cluster, 'zonal', { replicas: 6 });
    ks = kubeSmartFor(cluster, { zone: 'zone-a' });
    const svc = ks.service('zonal', { zoneAware: { minPercent: 10 } });
    await waitInStep(cluster, svc, 6);
    const zones = new Set(Array.from({ length: 30 }, () => svc.pick().zone));
    expect(zones).toEqual(new Set(['zone-a']));
    expect(svc.status().balancer).toBe('least-request+zone');
    expect(svc.explain().text).toContain('not the local zone zone-a');
  });
});

describe('SmartService.explain()', () => {
  it('says why the endpoint is picked and why others are out', async () => {
    await deployApp(cluster, 'explained', { replicas: 3 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('explained', {
      balancer: 'round-robin',
      health: false,
      circuitBreaker: false,
      outlierDetection: { consecutiveFailures: 1, baseEjectionTimeMs: 60_000 },
    });
    await waitInStep(cluster, svc, 3);
    const bad = svc.endpoints()[0]!.endpoint;
    cluster.pods.fail(bad.pod!, 503);
    await waitFor('an ejection', async () => {
      const response = await svc.fetch('/');
      await response.body?.cancel();
      return svc.status().ejected === 1;
    });
    const explanation = svc.explain();
    expect(explanation.chosen).toBeDefined();
    expect(explanation.chosen?.id).not.toBe(bad.id);
    expect(explanation.why).toBe('next in round-robin order');
    const out = explanation.endpoints.find((e) => e.endpoint.id === bad.id);
    expect(out).toMatchObject({ candidate: false, chosen: false, excluded: ['ejected'] });
    expect(out?.reason).toMatch(
      /^out: ejected by outlier detection for \d+ ms more \(ejection 1, after 1 failures in a row\)$/,
    );
    expect(explanation.text.split('\n')).toEqual([
      'Service "explained" in namespace "default": 3 endpoints, 2 available; source endpointslices; balancer round-robin',
      expect.stringMatching(/^ {2}(->| {2}| x) /),
      expect.stringMatching(/^ {2}(->| {2}| x) /),
      expect.stringMatching(/^ {2}(->| {2}| x) /),
    ]);
    expect(explanation.text).toContain(
      ` x ${bad.id} (pod ${bad.pod}, ${bad.zone}): out: ejected by outlier detection`,
    );
    expect(explanation.text).toContain(`-> ${explanation.chosen?.id}`);
    await cluster.pods.restore(bad.pod!);
  });
});
