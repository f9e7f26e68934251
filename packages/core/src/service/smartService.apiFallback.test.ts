import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ApiProxy, startApiProxy } from '../../test/apiProxy.js';
import { deployApp, FAST_WATCH, podOf, serverEndpoints } from '../../test/meshCluster.js';
import { startHttpServer, type TestServer } from '../../test/servers.js';
import { waitFor } from '../../test/waitFor.js';
import { CallTimeoutError, KubeAPIUnavailableError } from '../errors.js';
import { createKubeSmart, type KubeSmart } from '../instance/kubeSmart.js';

/** The API server missing, black-holed and coming back, with and without a fallback endpoint. */

let cluster: MockCluster;
let ks: KubeSmart | undefined;
let fallback: TestServer;
let proxy: ApiProxy | undefined;

beforeAll(async () => {
  cluster = await createMockCluster();
  await deployApp(cluster, 'backend', { replicas: 2 });
  fallback = await startHttpServer((_req, res) => res.end(JSON.stringify({ pod: 'the fallback' })));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  await ks?.close();
  await proxy?.close();
  ks = undefined;
  proxy = undefined;
});
afterAll(async () => {
  await fallback.close();
  await cluster.close();
});

/** No kubeconfig anywhere and not in a cluster. */
function noKubeConfig(): void {
  vi.stubEnv('KUBECONFIG', '/nonexistent/kubeconfig');
  vi.stubEnv('HOME', '/nonexistent');
  vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
  vi.stubEnv('KUBERNETES_SERVICE_PORT', '');
}

const fallbackEndpoint = () => ({ host: fallback.host, port: fallback.port });

describe('createKubeSmart() without a kubeconfig', () => {
  it('does not throw with a fallback configured, and serves the fallback', async () => {
    noKubeConfig();
    ks = createKubeSmart({ defaults: { fallback: fallbackEndpoint() } });
    expect(ks.status()).toMatchObject({ offline: true, apiError: expect.any(KubeAPIUnavailableError) });
    const svc = ks.service('backend');
    expect((await svc.ready()).map((e) => e.id)).toEqual([`${fallback.host}:${fallback.port}`]);
    expect(svc.status()).toMatchObject({ source: 'fallback', ready: true });
    expect(svc.pick().port).toBe(fallback.port);
    expect(await podOf(await svc.fetch('/'))).toBe('the fallback');
  });

  it('without a fallback, says what is missing when a service, a bucket or a query is asked for', () => {
    noKubeConfig();
    ks = createKubeSmart();
    const errors = [() => ks!.service('backend'), () => ks!.kv('flags'), () => ks!.query].map((use) => {
      try {
        use();
      } catch (error) {
        return error;
      }
      return undefined;
    });
    for (const error of errors) {
      expect(error).toBeInstanceOf(KubeAPIUnavailableError);
      expect((error as Error).message).toContain('KUBECONFIG');
    }
    expect((errors[0] as Error).message).toContain('fallback: { host, port }');
    // A per-service fallback still works.
    expect(ks.service('backend', { fallback: fallbackEndpoint() }).pick().port).toBe(fallback.port);
  });
});

describe('a black-holed API server (accepting connections, never answering)', () => {
  it('uses the fallback after fallbackAfterMs, then gives way to the real pods when the API comes back', async () => {
    proxy = await startApiProxy(cluster.url, { blackHoled: true });
    ks = createKubeSmart({ kubeConfig: proxy.kubeConfigFor(cluster.kubeConfig), watch: FAST_WATCH });
    const svc = ks.service('backend', { fallback: fallbackEndpoint(), fallbackAfterMs: 200 });
    const endpoints = await svc.ready();
    expect(endpoints.map((e) => e.port)).toEqual([fallback.port]);
    expect(svc.status()).toMatchObject({ source: 'fallback', lastError: expect.any(CallTimeoutError) });
    expect(await podOf(await svc.fetch('/'))).toBe('the fallback');
    expect(proxy.connections).toBeGreaterThan(0);

    const left = new Promise<void>((resolve) => svc.on('change', () => resolve()));
    proxy.restore();
    await left;
    await waitFor('the real pods', () => svc.status().source !== 'fallback');
    expect(
      svc
        .endpoints()
        .map((e) => e.endpoint.id)
        .sort(),
    ).toEqual(serverEndpoints(cluster, 'backend'));
    expect(await podOf(await svc.fetch('/'))).toMatch(/^backend-/);
  });

  it('without a fallback, ready() rejects with CallTimeoutError that says the API does not answer', async () => {
    proxy = await startApiProxy(cluster.url, { blackHoled: true });
    ks = createKubeSmart({ kubeConfig: proxy.kubeConfigFor(cluster.kubeConfig), watch: FAST_WATCH });
    const error = await ks
      .service('backend')
      .ready({ timeoutMs: 300 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CallTimeoutError);
    expect((error as Error).message).toMatch(/backend/);
  });

  it('calls made while the API was black-holed go to the fallback at the default fallbackAfterMs', async () => {
    proxy = await startApiProxy(cluster.url, { blackHoled: true });
    ks = createKubeSmart({ kubeConfig: proxy.kubeConfigFor(cluster.kubeConfig), watch: FAST_WATCH });
    const svc = ks.service('backend', { fallback: fallbackEndpoint() });
    expect(svc.options.fallbackAfterMs).toBeLessThan(svc.options.readyTimeoutMs);
    expect(await podOf(await svc.fetch('/'))).toBe('the fallback');
  });
});
