import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import * as client from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, kubeSmartFor, waitInStep } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
  await deployApp(cluster, 'measured', { replicas: 2 });
});
afterAll(() => cluster.close());

describe('metrics', () => {
  it('registers with a prom-client Registry, reads status() at scrape time, and unregisters on close', async () => {
    const registry = new client.Registry();
    const ks = kubeSmartFor(cluster, { metrics: { registry, client } });
    const svc = ks.service('measured', { health: false });
    await waitInStep(cluster, svc, 2);
    for (let i = 0; i < 5; i++) await (await svc.fetch('/')).text();
    const text = await registry.metrics();
    const labels = 'namespace="default",service="measured"';
    expect(text).toContain(`# TYPE kubesmart_calls_total counter`);
    expect(text).toContain(`kubesmart_endpoints{${labels}} 2`);
    expect(text).toContain(`kubesmart_endpoints_available{${labels}} 2`);
    expect(text).toContain(`kubesmart_calls_total{${labels}} 5`);
    expect(text).toContain(`kubesmart_failovers_total{${labels}} 0`);
    expect(text).toContain(`kubesmart_discovery_stale{${labels}} 0`);
    const perPod = [
      ...text.matchAll(/^kubesmart_endpoint_requests_total\{.*pod="measured-[^"]+"\} (\d+)$/gm),
    ];
    expect(perPod.map((m) => Number(m[1])).reduce((a, b) => a + b, 0)).toBe(5);
    expect(text).toMatch(
      /^kubesmart_watch_events_total\{scope="discovery\.k8s\.io\/v1\/endpointslices\|default\|\|"\} \d+$/m,
    );
    await ks.close();
    expect(registry.getSingleMetric('kubesmart_calls_total')).toBeUndefined();
    expect(await registry.metrics()).toBe('\n');
  });

  it('imports prom-client by itself when no client is given, with the prefix asked for', async () => {
    const registry = new client.Registry();
    const ks = kubeSmartFor(cluster, { metrics: { registry, prefix: 'mesh_' } });
    ks.service('measured');
    await waitFor('the metrics', () => registry.getSingleMetric('mesh_endpoints'));
    await waitFor('the endpoints', async () =>
      (await registry.metrics()).includes('mesh_endpoints{namespace="default",service="measured"} 2'),
    );
    await ks.close();
  });

  it('imports nothing from prom-client when core loads', async () => {
    const files = (await readdir(join(import.meta.dirname, '..'), { recursive: true })).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of files) {
      const source = await readFile(join(import.meta.dirname, '..', file), 'utf8');
      expect(source, file).not.toMatch(/^import (?!type)[^;]*from 'prom-client'/m);
    }
  });
});
