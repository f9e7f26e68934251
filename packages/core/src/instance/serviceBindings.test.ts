import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, kubeSmartFor } from '../../test/meshCluster.js';
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
});
