import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { ClosedError } from '../errors.js';
import { KubeClient } from './kubeClient.js';
import { SERVICES } from './resources.js';
import { WatchCacheRegistry } from './watchCacheRegistry.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster();
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'shared', namespace: 'default' },
    spec: { selector: { app: 'shared' }, ports: [{ port: 80 }] },
  });
});
afterAll(() => cluster.close());

describe('WatchCacheRegistry', () => {
  it('gives every consumer of a scope the same cache: one list and one watch', async () => {
    const client = new KubeClient({ kubeConfig: cluster.kubeConfig });
    const registry = new WatchCacheRegistry({ client });
    const scope = { resource: SERVICES, namespace: 'default' };
    const handles = [registry.acquire(scope), registry.acquire(scope), registry.acquire({ ...scope })];
    expect(new Set(handles.map((h) => h.cache)).size).toBe(1);
    await Promise.all(handles.map((h) => h.cache.waitForSync({ timeoutMs: 5000 })));
    await waitFor('the watch to open', () => client.stats().watches === 1);
    expect(client.stats()).toMatchObject({ requests: 1, watches: 1 });
    expect(registry.size).toBe(1);
    expect(Object.values(registry.status())[0]).toMatchObject({ refs: 3, synced: true });

    const other = registry.acquire({ ...scope, labelSelector: 'app=x' });
    expect(other.cache).not.toBe(handles[0]?.cache);
    expect(registry.size).toBe(2);
    other.release();
    expect(registry.size).toBe(1);

    handles[0]?.release();
    handles[0]?.release();
    handles[1]?.release();
    expect(registry.size).toBe(1);
    handles[2]?.release();
    expect(registry.size).toBe(0);
    await expect(handles[2]!.cache.waitForSync()).resolves.toBeUndefined();
    registry.close();
    expect(() => registry.acquire(scope)).toThrow(ClosedError);
    client.close();
  });

  it('lists once without a cache', async () => {
    const client = new KubeClient({ kubeConfig: cluster.kubeConfig });
    const registry = new WatchCacheRegistry({ client, pageSize: 1 });
    const result = await registry.list({ resource: SERVICES, namespace: 'default' });
    expect(result.items.map((s) => s.metadata?.name)).toContain('shared');
    expect(result.resourceVersion).toBeTruthy();
    expect(registry.size).toBe(0);
    client.close();
  });
});
