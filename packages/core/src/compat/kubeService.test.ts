import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployApp, serverEndpoints } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { InvalidArgumentError, KubeAPIUnavailableError, ServiceNotFoundError } from '../errors.js';
import { closeResolver, currentResolver, initResolver } from './initResolver.js';
import { kubeService } from './kubeService.js';

let cluster: MockCluster;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
});
afterEach(() => closeResolver());
afterAll(() => cluster.close());

/** An environment with no kubeconfig anywhere. */
const noCluster = { HOME: '/nonexistent', KUBECONFIG: '/nonexistent/config' };

describe('mock mode', () => {
  it('resolves every service to 127.0.0.1:8000 with initResolver({ mockMode: true })', async () => {
    const resolver = initResolver({ mockMode: true, env: {} });
    expect(resolver.offline).toBe(true);
    const svc = await kubeService('my-backend', { namespace: 'default', env: {} });
    expect([svc.host, svc.port, svc.url]).toEqual(['127.0.0.1', 8000, 'http://127.0.0.1:8000']);
    expect(svc.activePod).toBeUndefined();
    expect(svc.availablePods).toEqual(['127.0.0.1:8000']);
    expect(svc.status()).toEqual({
      latencyMs: undefined,
      pods: 1,
      failoverCount: 0,
      activePod: '127.0.0.1:8000',
    });
    expect(svc.service.status()).toMatchObject({ source: 'fallback', offline: true, stale: false });
  });

  it('reads KUBESMART_MOCK, the seed KUBESMARTSERVICE_MOCK and KUBE_FALLBACK_HOST/PORT from the env given', async () => {
    const env = { KUBESMARTSERVICE_MOCK: '1', KUBE_FALLBACK_HOST: '10.1.2.3', KUBE_FALLBACK_PORT: '9000' };
    initResolver({ env });
    const svc = await kubeService('orders', { env });
    expect(`${svc.host}:${svc.port}`).toBe('10.1.2.3:9000');
    await closeResolver();
    initResolver({ env: { KUBESMART_MOCK: 'true' } });
    expect((await kubeService('orders', { env: {} })).port).toBe(8000);
    await closeResolver();
    initResolver({
      env: {
        KUBESMART_MOCK: '0',
        ...noCluster,
        KUBE_FALLBACK_HOST: 'fallback.local',
        KUBE_FALLBACK_PORT: '81',
      },
    });
    expect(currentResolver()?.offline).toBe(true);
  });

  it('makes the resolver from kubeService() options when initResolver() was not called', async () => {
    expect(currentResolver()).toBeUndefined();
    const svc = await kubeService('cart', {
      mockMode: true,
      fallbackHost: '127.0.0.9',
      fallbackPort: 7000,
      env: {},
    });
    expect(`${svc.host}:${svc.port}`).toBe('127.0.0.9:7000');
    expect(currentResolver()?.offline).toBe(true);
  });

  it('says what to do when there is no cluster and no fallback, or the fallback is malformed', () => {
    expect(() => initResolver({ env: noCluster })).toThrow(KubeAPIUnavailableError);
    expect(() =>
      initResolver({ env: { ...noCluster, KUBE_FALLBACK_HOST: 'x', KUBE_FALLBACK_PORT: 'http' } }),
    ).toThrow(InvalidArgumentError);
    expect(() => initResolver({ env: { KUBE_FALLBACK_PORT: '80' } })).toThrow(/needs a host and a port/);
  });
});

describe('kubeService() on a cluster', () => {
  it('returns a healthy pod with host, port, activePod, availablePods and status(), and moves off a killed pod', async () => {
    await deployApp(cluster, 'backend', { replicas: 3 });
    await waitFor('3 ready endpoints', () => serverEndpoints(cluster, 'backend').length === 3);
    initResolver({
      kubeConfig: cluster.kubeConfig,
      cacheTtlSeconds: 8,
      healthTimeout: 0.5,
      retries: 2,
      backoffBase: 0.05,
      env: {},
    });
    const svc = await kubeService('backend', { namespace: 'default', env: {} });
    await waitFor('3 pods', () => svc.availablePods.length === 3);
    const first = svc.endpoint;
    expect(first.port).toBe(8080);
    expect(serverEndpoints(cluster, 'backend')).toContain(`${svc.host}:${svc.port}`);
    expect(svc.activePod).toMatch(/^backend-/);
    expect(svc.availablePods.every((pod) => pod.startsWith('backend-'))).toBe(true);
    expect(svc.status()).toMatchObject({
      pods: 3,
      failoverCount: 0,
      activePod: first.pod,
      latencyMs: expect.any(Number),
    });
    await cluster.pods.kill(first.pod!);
    await waitFor('another pod', () => svc.activePod !== first.pod);
    expect(svc.status()).toMatchObject({ failoverCount: 1, activePod: svc.activePod });
    const response = await svc.service.fetch('/');
    expect(response.status).toBe(200);
    await response.body?.cancel();
  });

  it('hands out one cached handle per service and options, whose endpoint accepted a connection', async () => {
    await deployApp(cluster, 'cached', { replicas: 3 });
    await waitFor('3 ready endpoints', () => serverEndpoints(cluster, 'cached').length === 3);
    initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
    const handle = await kubeService('cached', { env: {} });
    expect(await kubeService('cached', { env: {} })).toBe(handle);
    expect(await kubeService('cached', { namespace: 'default', env: {} })).not.toBe(handle);
    const first = handle.endpoint;
    expect(handle.service.checkReachable(first)).toBe(true);
    await cluster.pods.kill(first.pod!);
    const moved = await waitFor('a reachable pod', async () => {
      const next = (await kubeService('cached', { env: {} })).endpoint;
      return next.pod !== first.pod ? next : undefined;
    });
    expect(await handle.service.checkReachable(moved)).toBe(true);
    expect(await handle.service.checkReachable(first)).toBe(false);
    await closeResolver();
    initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
    expect(await kubeService('cached', { env: {} })).not.toBe(handle);
  });

  it('finds pods by label with labelSelector, as kubeSmartService', async () => {
    await deployApp(cluster, 'labelled', { replicas: 2 });
    initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
    const svc = await kubeService('labelled', { labelSelector: 'app=labelled', env: {} });
    await waitFor('2 pods', () => svc.availablePods.length === 2);
    expect(svc.service.status().source).toBe('pods');
  });

  it('rejects an unknown service with ServiceNotFoundError', async () => {
    initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
    await expect(kubeService('missing', { env: {} })).rejects.toBeInstanceOf(ServiceNotFoundError);
  });
});
