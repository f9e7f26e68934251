import { createServer } from 'node:net';
import { createMockCluster, kubeConfigFrom, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, KubeAPIUnavailableError, KubeObjectNotFoundError } from '../errors.js';
import { KubeClient } from './kubeClient.js';
import { statusOf } from './kubeErrors.js';
import type { KubeList, WatchEvent } from './kubeObject.js';

let cluster: MockCluster;
let client: KubeClient;

beforeAll(async () => {
  cluster = await createMockCluster({ watch: { bookmarkIntervalMs: 50, keepAliveMs: 30 } });
  client = new KubeClient({ kubeConfig: cluster.kubeConfig });
});
afterAll(async () => {
  client.close();
  await cluster.close();
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('KubeClient requests', () => {
  it('gets and lists over https with the CA and token of the KubeConfig', async () => {
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'one', namespace: 'default' },
      data: { a: '1' },
    });
    const got = await client.request<{ data: Record<string, string> }>(
      'GET',
      '/api/v1/namespaces/default/configmaps/one',
    );
    expect(got.data).toEqual({ a: '1' });
    const list = await client.request<KubeList>('GET', '/api/v1/namespaces/default/configmaps', {
      query: { limit: 10 },
    });
    expect(list.items.map((i) => i.metadata?.name)).toContain('one');
  });

  it('posts a JSON body', async () => {
    const review = await client.request<{ status: { allowed: boolean } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
      { body: { spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } } } },
    );
    expect(review.status.allowed).toBe(true);
  });

  it('maps 404 to KubeObjectNotFoundError with the status in details', async () => {
    const error = await client
      .request('GET', '/api/v1/namespaces/default/configmaps/nope')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeObjectNotFoundError);
    expect(statusOf(error)).toBe(404);
    expect((error as Error).message).toContain('kubectl get configmaps -n default');
  });

  it('maps 403 to ForbiddenError naming the verb, resource, namespace and the rule to add', async () => {
    cluster.access.addUser({
      name: 'reader',
      token: 'reader-token',
      rules: [{ apiGroups: [''], resources: ['services'], verbs: ['get'] }],
    });
    const reader = new KubeClient({ kubeConfig: cluster.kubeConfigFor('reader') });
    const error = await reader
      .request('GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForbiddenError);
    const { message } = error as Error;
    expect(message).toContain('list endpointslices.discovery.k8s.io in namespace "default"');
    expect(message).toContain(
      '{ apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: ["list"] }',
    );
    expect((error as ForbiddenError).details).toMatchObject({ status: 403, reason: 'Forbidden' });
    reader.close();
  });

  it('retries a GET answered 429 with Retry-After, and reports the wait when it gives up', async () => {
    cluster.faults.error({
      status: 429,
      retryAfterSeconds: 0,
      verb: 'list',
      resource: 'configmaps',
      times: 1,
    });
    const list = await client.request<KubeList>('GET', '/api/v1/namespaces/default/configmaps');
    expect(list.items.length).toBeGreaterThan(0);
    cluster.faults.error({
      status: 429,
      retryAfterSeconds: 7,
      verb: 'list',
      resource: 'configmaps',
      times: 1,
    });
    const error = await client
      .request('GET', '/api/v1/namespaces/default/configmaps', { retryAfterRetries: 0 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeAPIUnavailableError);
    expect((error as KubeAPIUnavailableError).details).toMatchObject({ status: 429, retryAfterSeconds: 7 });
  });

  it('maps a refused connection to KubeAPIUnavailableError that says what to check', async () => {
    const port = await closedPort();
    const kubeConfig = kubeConfigFrom({
      server: `http://127.0.0.1:${port}`,
      insecureSkipTlsVerify: true,
      token: 't',
    });
    const offline = new KubeClient({ kubeConfig });
    const error = await offline
      .request('GET', '/api/v1/namespaces/default/services')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeAPIUnavailableError);
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
    expect((error as Error).message).toContain('check KUBECONFIG');
    expect(statusOf(error)).toBeUndefined();
  });
});

describe('KubeClient watch', () => {
  it('streams events, skipping keep-alive newlines, until the server ends the watch', async () => {
    const list = await client.request<KubeList>('GET', '/api/v1/namespaces/default/configmaps');
    const events: WatchEvent[] = [];
    const done = client.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, timeoutSeconds: 1, allowWatchBookmarks: true },
      (event) => events.push(event),
    );
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'two', namespace: 'default' },
    });
    await done;
    expect(events.find((e) => e.type === 'ADDED')?.object.metadata?.name).toBe('two');
    expect(events.some((e) => e.type === 'BOOKMARK')).toBe(true);
  });

  it('rejects with status 410 on an ERROR event, and with a stall error when no byte comes', async () => {
    cluster.faults.expireNextWatch({ resource: 'configmaps' });
    const expired = await client
      .watch('/api/v1/namespaces/default/configmaps', { resourceVersion: '1' }, () => {})
      .catch((e: unknown) => e);
    expect(statusOf(expired)).toBe(410);

    const stall = cluster.faults.stallWatches({ resource: 'configmaps' });
    const stalled = await client
      .watch('/api/v1/namespaces/default/configmaps', {}, () => {}, undefined, { idleTimeoutMs: 200 })
      .catch((e: unknown) => e);
    stall.remove();
    expect(stalled).toBeInstanceOf(KubeAPIUnavailableError);
    expect((stalled as KubeAPIUnavailableError).details).toMatchObject({ stalled: true });
  });

  it('works over plain http with insecure-skip-tls-verify', async () => {
    const plain = await createMockCluster({ tls: false });
    const http = new KubeClient({ kubeConfig: plain.kubeConfig });
    try {
      expect(plain.url.startsWith('http://')).toBe(true);
      const list = await http.request<KubeList>('GET', '/api/v1/namespaces/default/services');
      expect(Array.isArray(list.items)).toBe(true);
    } finally {
      http.close();
      await plain.close();
    }
  });
});
