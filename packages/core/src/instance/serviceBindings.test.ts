import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, FAST_WATCH, kubeSmartFor } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { InvalidArgumentError } from '../errors.js';
import { bindServices } from './serviceBindings.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
  await deployApp(cluster, 'backend', { replicas: 2 });
});
afterAll(() => cluster.close());

describe('bindServices', () => {
  it('declares services by alias on a given instance, reports health, and leaves the instance open', async () => {
    const ks = kubeSmartFor(cluster);
    const binding = bindServices({
      kubeSmart: ks,
      services: { api: 'backend', same: { name: 'backend', port: 'http' }, ghost: 'no-such-service' },
    });
    expect(binding.services.api).toBe(ks.service('backend'));
    await binding.services.api.ready({ timeoutMs: 10_000 });
    await waitFor('api up', () => binding.health().services.api?.status === 'up');
    const health = binding.health();
    expect(health.status).toBe('down');
    expect(health.services.api).toMatchObject({
      status: 'up',
      service: 'backend',
      namespace: 'default',
      endpoints: 2,
    });
    expect(health.services.ghost?.status).toBe('down');
    expect(Object.keys(binding.status())).toEqual(['api', 'same', 'ghost']);
    await binding.close();
    expect(() => ks.service('backend')).not.toThrow();
    await ks.close();
  });

  it('refuses a malformed service spec and an instance given together with options', () => {
    const ks = kubeSmartFor(cluster);
    expect(() => bindServices({ kubeSmart: ks, services: { bad: { port: 80 } as never } })).toThrow(
      InvalidArgumentError,
    );
    expect(() => bindServices({ kubeSmart: ks, namespace: 'other' })).toThrow(
      /either an existing `kubeSmart`/,
    );
    return ks.close();
  });

  it('hands adapters one frozen context, the health route answer, and the route prefix', async () => {
    const binding = bindServices({
      kubeConfig: cluster.kubeConfig,
      watch: FAST_WATCH,
      services: { api: 'backend' },
      routes: { prefix: '/ops' },
    });
    const { context } = binding;
    expect(Object.isFrozen(context)).toBe(true);
    expect(context.kubeSmart).toBe(binding.kubeSmart);
    expect(context.services.api).toBe(binding.services.api);
    expect(context.kv('flags')).toBe(binding.kubeSmart.kv('flags'));
    expect(binding.routesPrefix).toBe('/ops');
    await binding.start();
    await context.ready({ timeoutMs: 10_000 });
    await waitFor('api up', () => context.health().status === 'up');
    expect(context.healthResponse()).toEqual({ statusCode: 200, body: context.health() });
    expect(Object.keys(context.status())).toEqual(['api']);
    await binding.close();
    expect(binding.kubeSmart.closed).toBe(true);
    expect(context.healthResponse()).toMatchObject({ statusCode: 503, body: { status: 'down' } });
    expect(bindServices({ kubeSmart: kubeSmartFor(cluster), routes: true }).routesPrefix).toBe('/kubesmart');
    expect(bindServices({ kubeSmart: kubeSmartFor(cluster) }).routesPrefix).toBeUndefined();
  });

  it('start() waits for the services with failFast, and on failure closes what it created and rethrows', async () => {
    const waiting = bindServices({
      kubeConfig: cluster.kubeConfig,
      watch: FAST_WATCH,
      services: { api: 'backend' },
      failFast: true,
    });
    await waiting.start();
    expect(waiting.services.api.status().ready).toBe(true);
    await waiting.close();

    const failing = bindServices({
      kubeConfig: cluster.kubeConfig,
      watch: FAST_WATCH,
      services: { ghost: 'no-such-service' },
      failFast: { timeoutMs: 300 },
    });
    await expect(failing.start()).rejects.toThrow(/no-such-service/);
    expect(failing.kubeSmart.closed).toBe(true);

    const lenient = bindServices({ kubeConfig: cluster.kubeConfig, services: { ghost: 'no-such-service' } });
    await lenient.start();
    expect(lenient.kubeSmart.closed).toBe(false);
    expect(lenient.healthResponse().statusCode).toBe(503);
    await lenient.close();
  });

  it('an instance passed in is not closed by a failing start', async () => {
    const ks = kubeSmartFor(cluster);
    const binding = bindServices({
      kubeSmart: ks,
      services: { ghost: 'no-such-service' },
      failFast: { timeoutMs: 300 },
    });
    await expect(binding.start()).rejects.toThrow();
    expect(ks.closed).toBe(false);
    await ks.close();
  });
});
