import {
  AppsV1Api,
  AuthorizationV1Api,
  CoreV1Api,
  DiscoveryV1Api,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockCluster, type MockCluster } from '../src/index.js';
import { waitFor } from './waitFor.js';

let cluster: MockCluster;
let core: CoreV1Api;

beforeAll(async () => {
  cluster = await createMockCluster({
    probeIntervalMs: 50,
    watch: { bookmarkIntervalMs: 100, keepAliveMs: 200 },
  });
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
});
afterAll(() => cluster.close());

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): V1ConfigMap => ({
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('typed client-node APIs over TLS with a bearer token', () => {
  it('creates, reads, lists, replaces and deletes a ConfigMap', async () => {
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('crud', { a: '1' }),
    });
    expect(created.metadata?.uid).toBeTruthy();
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);

    const read = await core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    expect(read.data).toEqual({ a: '1' });

    const replaced = await core.replaceNamespacedConfigMap({
      name: 'crud',
      namespace: 'default',
      body: { ...read, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });

    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map((i) => i.metadata?.name)).toContain('crud');
    expect(list.metadata?.resourceVersion).toBeTruthy();

    await core.deleteNamespacedConfigMap({ name: 'crud', namespace: 'default' });
    await expect(core.readNamespacedConfigMap({ name: 'crud', namespace: 'default' })).rejects.toMatchObject({
      code: 404,
    });
  });

  it('answers AlreadyExists, Conflict on a stale resourceVersion, and NotFound as Status objects', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('conflict', { a: '1' }) });
    const dup = core.createNamespacedConfigMap({ namespace: 'default', body: cm('conflict', { a: '1' }) });
    await expect(dup).rejects.toMatchObject({ code: 409 });
    await dup.catch((e: { body: string }) => expect(JSON.parse(e.body).reason).toBe('AlreadyExists'));

    const first = await core.readNamespacedConfigMap({ name: 'conflict', namespace: 'default' });
    await core.replaceNamespacedConfigMap({
      name: 'conflict',
      namespace: 'default',
      body: { ...first, data: { a: '2' } },
    });
    const stale = core.replaceNamespacedConfigMap({
      name: 'conflict',
      namespace: 'default',
      body: { ...first, data: { a: '3' } },
    });
    await expect(stale).rejects.toMatchObject({ code: 409 });
    await stale.catch((e: { body: string }) => expect(JSON.parse(e.body).reason).toBe('Conflict'));

    const missing = core.readNamespacedConfigMap({ name: 'nope', namespace: 'default' });
    await missing.catch((e: { body: string }) =>
      expect(JSON.parse(e.body)).toMatchObject({
        kind: 'Status',
        reason: 'NotFound',
        message: 'configmaps "nope" not found',
      }),
    );
  });

  it('fills generateName and folds Secret stringData into base64 data', async () => {
    const generated = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { generateName: 'gen-' }, data: {} },
    });
    expect(generated.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
    const secret = await core.createNamespacedSecret({
      namespace: 'default',
      body: { metadata: { name: 'creds' }, stringData: { password: 'hunter2' } },
    });
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
    expect(secret.stringData).toBeUndefined();
    expect(secret.type).toBe('Opaque');
  });

  it('rejects invalid names, keys and oversized data with 422 and stores nothing', async () => {
    const bad = core.createNamespacedConfigMap({ namespace: 'default', body: cm('Bad_Name', { a: '1' }) });
    await expect(bad).rejects.toMatchObject({ code: 422 });
    const badKey = core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('bad-key', { 'no spaces': '1' }),
    });
    await expect(badKey).rejects.toMatchObject({ code: 422 });
    const big = core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('big', { a: 'x'.repeat(1024 * 1024 + 1) }),
    });
    await expect(big).rejects.toMatchObject({ code: 422 });
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.items.map((i) => i.metadata?.name)).not.toContain('big');
    expect(list.items.map((i) => i.metadata?.name)).not.toContain('bad-key');
  });

  it('refuses a namespace that does not exist', async () => {
    await expect(
      core.createNamespacedConfigMap({ namespace: 'ghost', body: cm('x', {}) }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('patches with JSON patch, merge patch and strategic merge patch', async () => {
    await core.createNamespacedConfigMap({ namespace: 'default', body: cm('patched', { a: '1', b: '2' }) });
    const json = await core.patchNamespacedConfigMap({
      name: 'patched',
      namespace: 'default',
      body: [{ op: 'replace', path: '/data/a', value: '10' }],
    });
    expect(json.data).toEqual({ a: '10', b: '2' });
    const merged = await core.patchNamespacedConfigMap(
      { name: 'patched', namespace: 'default', body: { data: { b: null, c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: '10', c: '3' });
    const strategic = await core.patchNamespacedConfigMap(
      { name: 'patched', namespace: 'default', body: { metadata: { labels: { tier: 'web' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.metadata?.labels).toEqual({ tier: 'web' });
  });

  it('server-side apply creates when missing and merges when present', async () => {
    const objects = KubernetesObjectApi.makeApiClient(cluster.kubeConfig);
    const spec = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'applied', namespace: 'default' },
      data: { a: '1' },
    };
    const created = (await objects.patch(
      spec,
      undefined,
      undefined,
      'tests',
      true,
      PatchStrategy.ServerSideApply,
    )) as V1ConfigMap;
    expect(created.metadata?.uid).toBeTruthy();
    const again = await objects.patch(
      { ...spec, data: { a: '1', b: '2' } },
      undefined,
      undefined,
      'tests',
      true,
      PatchStrategy.ServerSideApply,
    );
    expect((again as V1ConfigMap).data).toEqual({ a: '1', b: '2' });
  });

  it('filters by label and field selectors and paginates with limit/continue', async () => {
    await core.createNamespace({ body: { metadata: { name: 'selectors' } } });
    for (let i = 0; i < 7; i += 1) {
      await core.createNamespacedConfigMap({
        namespace: 'selectors',
        body: cm(`item-${i}`, {}, { parity: i % 2 === 0 ? 'even' : 'odd', index: String(i) }),
      });
    }
    const even = await core.listNamespacedConfigMap({ namespace: 'selectors', labelSelector: 'parity=even' });
    expect(even.items).toHaveLength(4);
    const notIn = await core.listNamespacedConfigMap({
      namespace: 'selectors',
      labelSelector: 'index notin (0,1,2),parity!=odd',
    });
    expect(notIn.items.map((i) => i.metadata?.name)).toEqual(['item-4', 'item-6']);
    const byName = await core.listConfigMapForAllNamespaces({ fieldSelector: 'metadata.name=item-3' });
    expect(byName.items).toHaveLength(1);
    await expect(
      core.listNamespacedConfigMap({ namespace: 'selectors', fieldSelector: 'data.a=1' }),
    ).rejects.toMatchObject({
      code: 400,
    });

    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'selectors',
        limit: 3,
        ...(token ? { _continue: token } : {}),
      });
      names.push(...page.items.map((i) => i.metadata?.name ?? ''));
      token = page.metadata?._continue;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(names).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `item-${i}`));
  });

  it('lists one resource type across all namespaces', async () => {
    const all = await core.listNamespace();
    expect(all.items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', 'kube-system']),
    );
  });

  it('answers SelfSubjectAccessReview', async () => {
    const authz = cluster.kubeConfig.makeApiClient(AuthorizationV1Api);
    const review = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { verb: 'list', resource: 'pods', namespace: 'default' } } },
    });
    expect(review.status?.allowed).toBe(true);
  });
});

describe('RBAC', () => {
  it('answers 401 for an unknown token and 403 for a forbidden verb', async () => {
    cluster.access.addUser({
      name: 'reader',
      token: 'reader-token',
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    const reader = cluster.kubeConfigFor('reader').makeApiClient(CoreV1Api);
    await expect(reader.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeTruthy();
    const denied = reader.createNamespacedConfigMap({ namespace: 'default', body: cm('nope', {}) });
    await expect(denied).rejects.toMatchObject({ code: 403 });
    await denied.catch((e: { body: string }) =>
      expect(JSON.parse(e.body).message).toContain(
        'cannot create resource "configmaps" in API group "" in the namespace "default"',
      ),
    );
    cluster.access.removeUser('reader');
    await expect(reader.listNamespacedConfigMap({ namespace: 'default' })).rejects.toMatchObject({
      code: 401,
    });
  });
});

describe('watch', () => {
  it('streams ADDED, MODIFIED and DELETED from a resourceVersion', async () => {
    await core.createNamespace({ body: { metadata: { name: 'watched' } } });
    const list = await core.listNamespacedConfigMap({ namespace: 'watched' });
    const seen: string[] = [];
    const controller = await new Watch(cluster.kubeConfig).watch(
      '/api/v1/namespaces/watched/configmaps',
      { resourceVersion: list.metadata?.resourceVersion, allowWatchBookmarks: true },
      (type, obj) => {
        if (type !== 'BOOKMARK') seen.push(`${type}:${obj.metadata.name}`);
      },
      () => {},
    );
    await core.createNamespacedConfigMap({ namespace: 'watched', body: cm('w', { a: '1' }) });
    await core.patchNamespacedConfigMap({
      name: 'w',
      namespace: 'watched',
      body: [{ op: 'add', path: '/data/b', value: '2' }],
    });
    await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'watched' });
    await waitFor('three events', () => seen.length >= 3);
    controller.abort();
    expect(seen).toEqual(['ADDED:w', 'MODIFIED:w', 'DELETED:w']);
  });

  it('sends bookmarks only when asked and ends after timeoutSeconds', async () => {
    const types = new Set<string>();
    let ended = false;
    await new Watch(cluster.kubeConfig).watch(
      '/api/v1/namespaces/default/configmaps',
      { allowWatchBookmarks: true, timeoutSeconds: 1 },
      (type) => types.add(type),
      () => {
        ended = true;
      },
    );
    await waitFor('the watch to end', () => ended, { timeoutMs: 20_000, intervalMs: 25 });
    expect(types.has('BOOKMARK')).toBe(true);
  });

  it('answers a too-old resourceVersion with a 410 Expired ERROR event', async () => {
    const events: { type: string; code?: number }[] = [];
    cluster.store.compact();
    await new Watch(cluster.kubeConfig).watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: '1' },
      (type, obj) => events.push({ type, code: obj.code }),
      () => {},
    );
    await waitFor('the ERROR event', () => events.length > 0);
    expect(events[0]).toEqual({ type: 'ERROR', code: 410 });
  });

  it('keeps a client-node informer in step with the store', async () => {
    await core.createNamespace({ body: { metadata: { name: 'informed' } } });
    const informer = makeInformer(cluster.kubeConfig, '/api/v1/namespaces/informed/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'informed' }),
    );
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'informed', body: cm('one', {}) });
    await core.createNamespacedConfigMap({ namespace: 'informed', body: cm('two', {}) });
    await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'informed' });
    await waitFor(
      'the informer cache',
      () =>
        informer
          .list()
          .map((o) => o.metadata?.name)
          .join() === 'two',
    );
    await informer.stop();
  });
});

describe('controllers and fake pods', () => {
  it('runs a Deployment as real pods behind EndpointSlices and Endpoints', async () => {
    await cluster.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: web:1
          ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`);
    const slices = cluster.kubeConfig.makeApiClient(DiscoveryV1Api);
    const ready = await waitFor('three ready endpoints', async () => {
      const list = await slices.listNamespacedEndpointSlice({
        namespace: 'default',
        labelSelector: 'kubernetes.io/service-name=web',
      });
      const endpoints = list.items.flatMap((s) => s.endpoints);
      return endpoints.filter((e) => e.conditions?.ready).length === 3 ? list.items : undefined;
    });
    const endpoint = ready[0]!.endpoints[0]!;
    expect(ready[0]!.ports).toEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
    expect(endpoint.targetRef?.kind).toBe('Pod');
    expect(endpoint.nodeName).toBeTruthy();
    expect(endpoint.zone).toMatch(/^zone-/);

    const answer = (await (await fetch(`http://${endpoint.addresses[0]}:8080/`)).json()) as { pod: string };
    expect(answer.pod).toBe(endpoint.targetRef?.name);

    const legacy = await core.readNamespacedEndpoints({ name: 'web', namespace: 'default' });
    expect(legacy.subsets?.[0]?.addresses).toHaveLength(3);

    const apps = cluster.kubeConfig.makeApiClient(AppsV1Api);
    await apps.patchNamespacedDeploymentScale(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 1 } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await waitFor('scale down to one pod', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
      return pods.items.length === 1;
    });
    const status = await waitFor('deployment status', async () => {
      const d = await apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
      return d.status?.readyReplicas === 1 ? d.status : undefined;
    });
    expect(status.replicas).toBe(1);

    await apps.deleteNamespacedDeployment({ name: 'web', namespace: 'default' });
    await waitFor('pods garbage-collected', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=web' });
      return pods.items.length === 0;
    });
  });
});
