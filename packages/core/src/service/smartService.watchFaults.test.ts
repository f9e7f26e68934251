import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, kubeSmartFor, resolvedEndpoints, waitInStep } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import type { KubeSmart } from '../instance/kubeSmart.js';
import type { SmartService } from './smartService.js';

let cluster: MockCluster;
let ks: KubeSmart;
let svc: SmartService;

beforeAll(async () => {
  cluster = await createMockCluster({
    probeIntervalMs: 50,
    watch: { bookmarkIntervalMs: 100, keepAliveMs: 100 },
  });
  await deployApp(cluster, 'steady', { replicas: 2 });
  ks = kubeSmartFor(cluster);
  svc = ks.service('steady', { health: false });
  await svc.ready({ timeoutMs: 10_000 });
  await waitInStep(cluster, svc, 2);
});
afterAll(async () => {
  await ks.close();
  await cluster.close();
});

/** Sums a counter over every watch cache of the KubeSmart. */
const total = (counter: 'relists' | 'reconnects' | 'errors'): number =>
  Object.values(ks.status().watches).reduce((sum, w) => sum + w[counter], 0);

/** Scales the app and waits until the resolver's endpoints equal the API server's. */
async function scaleAndFollow(replicas: number): Promise<void> {
  await deployApp(cluster, 'steady', { replicas });
  await waitInStep(cluster, svc, replicas);
}

describe('SmartService through API server failures', () => {
  it('survives an API server restart', async () => {
    const reconnects = total('reconnects');
    await cluster.restart();
    await scaleAndFollow(3);
    expect(total('reconnects')).toBeGreaterThan(reconnects);
  });

  it('detects stalled watches and catches up once they flow again', async () => {
    const reconnects = total('reconnects');
    const stall = cluster.faults.stallWatches();
    await waitFor('the stall to be detected', () => total('reconnects') > reconnects);
    stall.remove();
    await scaleAndFollow(2);
  });

  it('lists again after 410 Expired on a dropped watch', async () => {
    const relists = total('relists');
    cluster.faults.expireNextWatch({ resource: 'endpointslices' });
    expect(cluster.faults.dropWatches({ resource: 'endpointslices' })).toBeGreaterThan(0);
    await waitFor('a relist', () => total('relists') > relists);
    await scaleAndFollow(4);
  });

  it('honours 429 with Retry-After on the watch', async () => {
    const errors = total('errors');
    cluster.faults.error({ status: 429, retryAfterSeconds: 1, verb: 'watch', times: 1 });
    cluster.faults.dropWatches();
    await waitFor('the 429', () => total('errors') > errors);
    await scaleAndFollow(3);
  });

  it('recovers from 500 on the watch', async () => {
    const errors = total('errors');
    cluster.faults.error({ status: 500, verb: 'watch', times: 2 });
    cluster.faults.dropWatches();
    await waitFor('the 500s', () => total('errors') >= errors + 2);
    await scaleAndFollow(2);
  });

  it('keeps the last known endpoints, marked stale, while the API is lost', async () => {
    await waitFor('every watch to be in step after the faults above', () => !svc.status().stale);
    const before = resolvedEndpoints(svc);
    const staleness: boolean[] = [];
    svc.on('stale', (stale) => staleness.push(stale));
    const refusing = cluster.faults.refuseConnections(500);
    await waitFor('staleness', () => svc.status().stale);
    expect(resolvedEndpoints(svc)).toEqual(before);
    const response = await svc.fetch('/');
    expect(response.status).toBe(200);
    await response.body?.cancel();
    await refusing;
    await waitFor('freshness', () => !svc.status().stale);
    expect(staleness).toEqual([true, false]);
    await scaleAndFollow(3);
  });
});
