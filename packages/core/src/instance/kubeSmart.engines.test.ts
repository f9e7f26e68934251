import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeSmartFor } from '../../test/meshCluster.js';
import { ClosedError } from '../errors.js';
import { QueryEngine } from '../query/queryEngine.js';
import { createKubeSmart } from './kubeSmart.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster();
});
afterAll(() => cluster.close());

describe('KubeSmart engines', () => {
  it('hands out one KV bucket per name and options, and one query engine, closed with it', async () => {
    const ks = kubeSmartFor(cluster);
    const flags = ks.kv('flags');
    expect(ks.kv('flags')).toBe(flags);
    expect(ks.kv('flags', { backend: 'secret' })).not.toBe(flags);
    expect(ks.query).toBeInstanceOf(QueryEngine);
    expect(ks.query).toBe(ks.query);
    await ks.close();
    expect(flags.status().closed).toBe(true);
    expect(() => ks.kv('flags')).toThrow(ClosedError);
    expect(() => ks.query).toThrow(ClosedError);
  });

  it('has no KV or query engine offline', async () => {
    const ks = createKubeSmart({ offline: true });
    expect(() => ks.kv('flags')).toThrow(/offline/);
    await ks.close();
  });
});
