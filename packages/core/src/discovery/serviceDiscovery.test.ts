import { createServer } from 'node:net';
import { createMockCluster, kubeConfigFrom, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { KubeClient } from '../cluster/kubeClient.js';
import { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import { InvalidArgumentError, KubeAPIUnavailableError, ServiceNotFoundError } from '../errors.js';
import type { Endpoint } from '../types.js';
import { ServiceDiscovery } from './serviceDiscovery.js';
import type { ServiceDiscoveryOptions } from './serviceDiscoveryOptions.js';

let cluster: MockCluster;
const closers: (() => void)[] = [];

beforeAll(async () => {
  cluster = await createMockCluster({ maxEndpointsPerSlice: 2, probeIntervalMs: 50 });
});
afterEach(() => {
  for (const close of closers.splice(0).reverse()) close();
  cluster.faults.clear();
});
afterAll(() => cluster.close());

/** A Deployment with `replicas` pods serving `http` (8080) and `admin` (9090), and its Service. */
function app(name: string, replicas: number): Promise<unknown> {
  const labels = { app: name };
  return cluster.apply([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'default', labels },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name,
                image: `example/${name}:1`,
                ports: [
                  { name: 'http', containerPort: 8080 },
                  { name: 'admin', containerPort: 9090 },
                ],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'default', labels },
      spec: {
        selector: labels,
        ports: [
          { name: 'web', port: 80, targetPort: 'http' },
          { name: 'admin', port: 9000, targetPort: 9090 },
        ],
      },
    },
  ]);
}

function registryFor(user?: { name: string; rules: PolicyRule[] }): WatchCacheRegistry {
  if (user) cluster.access.addUser({ name: user.name, token: `${user.name}-token`, rules: user.rules });
  const client = new KubeClient({ kubeConfig: user ? cluster.kubeConfigFor(user.name) : cluster.kubeConfig });
  const registry = new WatchCacheRegistry({
    client,
    initialBackoffMs: 20,
    maxBackoffMs: 200,
    pollIntervalMs: 100,
  });
  closers.push(
    () => client.close(),
    () => registry.close(),
  );
  return registry;
}

function discover(options: Partial<ServiceDiscoveryOptions> & { service: string }): ServiceDiscovery {
  const discovery = new ServiceDiscovery({ registry: options.registry ?? registryFor(), ...options });
  closers.push(() => discovery.close());
  return discovery;
}

/** Waits until the discovery lists `count` endpoints. */
const settle = (discovery: ServiceDiscovery, count: number): Promise<readonly Endpoint[]> =>
  waitFor(`${count} endpoints of ${discovery.service}`, () =>
    discovery.endpoints().length === count ? discovery.endpoints() : undefined,
  );

/** Real clusters let every user create SelfSubjectAccessReviews (system:basic-user); the emulator needs the rule. */
const reviewRule: PolicyRule = {
  apiGroups: ['authorization.k8s.io'],
  resources: ['selfsubjectaccessreviews'],
  verbs: ['create'],
};

const readRules = (resources: string[], group = ''): PolicyRule => ({
  apiGroups: [group],
  resources,
  verbs: ['get', 'list', 'watch'],
});

describe('ServiceDiscovery from EndpointSlices', () => {
  it('merges several slices, names pods from targetRef, and resolves the first port to its target', async () => {
    await app('merge', 5);
    const discovery = discover({ service: 'merge' });
    await discovery.ready({ timeoutMs: 10_000 });
    const endpoints = await settle(discovery, 5);
    const slices = cluster.list('endpointslices', 'default', {
      labelSelector: 'kubernetes.io/service-name=merge',
    });
    expect(slices.length).toBeGreaterThanOrEqual(3);
    const pods = cluster.list('pods', 'default', { labelSelector: 'app=merge' });
    const podByIp = new Map(pods.map((p) => [(p.status as { podIP: string }).podIP, p.metadata.name]));
    for (const endpoint of endpoints) {
      expect(endpoint.port).toBe(8080);
      expect(endpoint.pod).toBe(podByIp.get(endpoint.host));
      expect(endpoint.node).toBeTruthy();
      expect(endpoint.zone).toMatch(/^zone-/);
      expect(endpoint.url).toBe(`http://${endpoint.host}:8080`);
    }
    expect(discovery.status()).toMatchObject({
      source: 'endpointslices',
      ready: true,
      stale: false,
      mode: 'watch',
    });
  });

  it('follows scale up and down, emitting one change per real change', async () => {
    await app('scale', 2);
    const discovery = discover({ service: 'scale' });
    const changes: string[] = [];
    discovery.on('change', (list) =>
      changes.push(list.map((e) => `${e.id}/${e.pod}/${e.zone}/${e.node}`).join()),
    );
    await settle(discovery, 2);
    await app('scale', 4);
    await settle(discovery, 4);
    await app('scale', 1);
    const [last] = await settle(discovery, 1);
    expect(changes.at(-1)).toBe(`${last?.id}/${last?.pod}/${last?.zone}/${last?.node}`);
    for (let i = 1; i < changes.length; i += 1) expect(changes[i]).not.toBe(changes[i - 1]);
  });

  it('skips endpoints whose pods are not ready, and takes them back', async () => {
    await app('readiness', 3);
    const discovery = discover({ service: 'readiness' });
    const [victim] = await settle(discovery, 3);
    cluster.pods.fail(victim!.pod!, 500);
    const rest = await settle(discovery, 2);
    expect(rest.map((e) => e.pod)).not.toContain(victim!.pod);
    await cluster.pods.restore(victim!.pod!);
    await settle(discovery, 3);
  });

  it('resolves named and numbered ports to target ports', async () => {
    await app('ports', 1);
    const registry = registryFor();
    const byName = discover({ service: 'ports', port: 'admin', registry });
    const byServicePort = discover({ service: 'ports', port: 80, registry });
    const byTarget = discover({ service: 'ports', port: 9090, registry });
    expect((await settle(byName, 1))[0]?.port).toBe(9090);
    expect((await settle(byServicePort, 1))[0]?.port).toBe(8080);
    expect((await settle(byTarget, 1))[0]?.port).toBe(9090);
    const unknown = discover({ service: 'ports', port: 'grpc', registry });
    await expect(unknown.ready({ timeoutMs: 5000 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('rejects a port number that neither the Service nor its pods have, naming the ports there are', async () => {
    await app('wrongport', 1);
    const registry = registryFor();
    await settle(discover({ service: 'wrongport', registry }), 1);
    const error = await discover({ service: 'wrongport', port: 9999, registry })
      .ready({ timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toBe(
      'Service "wrongport" in namespace "default" has no port 9999; its ports are web (80), admin (9000) (its pods serve 8080, 9090). Pass one of them as `port`.',
    );
  });

  it('shares one Service cache and one EndpointSlice cache among the services of a namespace', async () => {
    await app('share-a', 1);
    await app('share-b', 1);
    const registry = registryFor();
    const a = discover({ service: 'share-a', registry });
    const b = discover({ service: 'share-b', registry });
    await Promise.all([settle(a, 1), settle(b, 1)]);
    expect(registry.size).toBe(2);
    await waitFor('both watches', () => registry.client.stats().watches === 2);
    expect(registry.client.stats()).toMatchObject({ watches: 2 });
  });
});

describe('ServiceDiscovery fallbacks and permissions', () => {
  it('uses Endpoints when EndpointSlices are forbidden', async () => {
    await app('legacy', 2);
    const registry = registryFor({ name: 'no-slices', rules: [readRules(['services', 'endpoints'])] });
    const discovery = discover({ service: 'legacy', registry });
    const sources: string[] = [];
    discovery.on('source', (source) => sources.push(source));
    const endpoints = await settle(discovery, 2);
    expect(discovery.status().source).toBe('endpoints');
    expect(sources).toEqual(['endpoints']);
    expect(endpoints.every((e) => e.pod?.startsWith('legacy-') && e.port === 8080)).toBe(true);
  });

  it('resolves with pod names when listing pods is forbidden', async () => {
    await app('nopods', 2);
    const rules = [readRules(['services']), readRules(['endpointslices'], 'discovery.k8s.io'), reviewRule];
    const registry = registryFor({ name: 'no-pods', rules });
    const discovery = discover({ service: 'nopods', registry });
    const endpoints = await settle(discovery, 2);
    expect(endpoints.every((e) => e.pod?.startsWith('nopods-'))).toBe(true);
    const report = await discovery.checkPermissions();
    expect(report.ok).toBe(false);
    expect(report.missing.map((c) => `${c.verb} ${c.resource}`).sort()).toEqual([
      'get endpoints',
      'list endpoints',
      'watch endpoints',
    ]);
  });

  it('finds pods by label with source: pods, with the kubeSmartService default app=<name> or a selector', async () => {
    await app('bylabel', 2);
    const registry = registryFor();
    const discovery = discover({ service: 'bylabel', source: 'pods', port: 'admin', registry });
    const endpoints = await settle(discovery, 2);
    expect(endpoints.every((e) => e.port === 9090 && e.pod?.startsWith('bylabel-'))).toBe(true);
    const none = discover({ service: 'bylabel', source: 'pods', labelSelector: 'app=nothing', registry });
    expect(await none.ready({ timeoutMs: 5000 })).toEqual([]);
  });

  it('polls where watch is forbidden', async () => {
    await app('polled', 1);
    const rules: PolicyRule[] = [
      {
        apiGroups: ['', 'discovery.k8s.io'],
        resources: ['services', 'endpointslices'],
        verbs: ['get', 'list'],
      },
    ];
    const discovery = discover({ service: 'polled', registry: registryFor({ name: 'no-watch', rules }) });
    await settle(discovery, 1);
    await waitFor('poll mode', () => discovery.status().mode === 'poll');
    await app('polled', 2);
    await settle(discovery, 2);
  });

  it('names the missing permission', async () => {
    const rules = [
      readRules(['services', 'endpoints']),
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list'] },
      reviewRule,
    ];
    const discovery = discover({
      service: 'anything',
      registry: registryFor({ name: 'no-slice-watch', rules }),
    });
    const report = await discovery.checkPermissions();
    expect(report.missing).toEqual([
      expect.objectContaining({
        verb: 'watch',
        group: 'discovery.k8s.io',
        resource: 'endpointslices',
        namespace: 'default',
      }),
    ]);
    expect(report.message).toContain('watch endpointslices.discovery.k8s.io in namespace "default"');
    expect(report.message).toContain('verbs: ["watch"]');
  });
});

describe('ServiceDiscovery errors and staleness', () => {
  it('rejects an unknown Service with ServiceNotFoundError saying how to check, and finds it once created', async () => {
    const discovery = discover({ service: 'ghost' });
    const error = await discovery.ready({ timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect((error as Error).message).toContain('kubectl get svc -n default');
    await app('ghost', 1);
    await settle(discovery, 1);
    cluster.delete('services', 'ghost', 'default');
    await settle(discovery, 0);
    await expect(discovery.ready()).resolves.toEqual([]);
  });

  it('rejects with KubeAPIUnavailableError when the API cannot be reached at start', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const client = new KubeClient({
      kubeConfig: kubeConfigFrom({
        server: `http://127.0.0.1:${port}`,
        insecureSkipTlsVerify: true,
        token: 't',
      }),
    });
    const registry = new WatchCacheRegistry({ client, initialBackoffMs: 50 });
    closers.push(
      () => client.close(),
      () => registry.close(),
    );
    const discovery = discover({ service: 'any', registry });
    const error = await discovery.ready({ timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeAPIUnavailableError);
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).toContain('check KUBECONFIG');
  });

  it('keeps the last known endpoints, marked stale, while the API is lost', async () => {
    await app('lost', 2);
    const discovery = discover({ service: 'lost' });
    const before = await settle(discovery, 2);
    const refusing = cluster.faults.refuseConnections(500);
    await waitFor('staleness', () => discovery.status().stale);
    expect(discovery.endpoints()).toEqual(before);
    await refusing;
    await waitFor('freshness', () => !discovery.status().stale);
    expect(discovery.endpoints()).toEqual(before);
  });
});
