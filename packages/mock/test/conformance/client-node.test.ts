import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  type V1ConfigMap,
  Watch,
} from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pollUntil, SUITE, startConformanceCluster, useConformanceCluster } from './harness.js';

// @kubernetes/client-node, configured as its users configure it: KubeConfig.loadFromFile on the
// kubeconfig the emulator writes, over TLS with its CA.

const cm = (name: string, data: Record<string, string>, labels?: Record<string, string>): V1ConfigMap => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, ...(labels ? { labels } : {}) },
  data,
});

describe('client-node', SUITE, () => {
  const k = useConformanceCluster({
    objects: `
apiVersion: v1
kind: Namespace
metadata: { name: node-watch }
---
apiVersion: v1
kind: Namespace
metadata: { name: node-paged }
---
apiVersion: v1
kind: Namespace
metadata: { name: node-informed }
`,
  });
  const config = (): KubeConfig => {
    const kc = new KubeConfig();
    kc.loadFromFile(k.kubeconfig);
    return kc;
  };

  it('create, read, replace and delete a configmap', async () => {
    const core = config().makeApiClient(CoreV1Api);
    const created = await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('node-cm', { a: '1' }),
    });
    const read = await core.readNamespacedConfigMap({ name: 'node-cm', namespace: 'default' });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    const replaced = await core.replaceNamespacedConfigMap({
      name: 'node-cm',
      namespace: 'default',
      body: { ...read, data: { a: '2' } },
    });
    expect(replaced.data).toEqual({ a: '2' });
    await expect(
      core.replaceNamespacedConfigMap({ name: 'node-cm', namespace: 'default', body: read }),
    ).rejects.toMatchObject({ code: 409 });
    await core.deleteNamespacedConfigMap({ name: 'node-cm', namespace: 'default' });
    await expect(
      core.readNamespacedConfigMap({ name: 'node-cm', namespace: 'default' }),
    ).rejects.toMatchObject({
      code: 404,
    });
  });

  it('list with limit and continue', async () => {
    const core = config().makeApiClient(CoreV1Api);
    for (let i = 0; i < 5; i += 1) {
      await core.createNamespacedConfigMap({ namespace: 'node-paged', body: cm(`page-${i}`, {}) });
    }
    const names: string[] = [];
    const sizes: number[] = [];
    let token: string | undefined;
    do {
      const page = await core.listNamespacedConfigMap({
        namespace: 'node-paged',
        limit: 2,
        _continue: token,
      });
      sizes.push(page.items.length);
      names.push(...page.items.map((item) => item.metadata?.name ?? ''));
      token = page.metadata?._continue || undefined;
    } while (token);
    expect(sizes).toEqual([2, 2, 1]);
    expect(names.sort()).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  it('patch a configmap: JSON patch, merge patch and strategic merge patch', async () => {
    const core = config().makeApiClient(CoreV1Api);
    await core.createNamespacedConfigMap({
      namespace: 'default',
      body: cm('node-patched', { a: '1', b: '2' }),
    });
    const json = await core.patchNamespacedConfigMap({
      name: 'node-patched',
      namespace: 'default',
      body: [{ op: 'replace', path: '/data/a', value: '10' }],
    });
    expect(json.data).toEqual({ a: '10', b: '2' });
    const merged = await core.patchNamespacedConfigMap(
      { name: 'node-patched', namespace: 'default', body: { data: { b: null, c: '3' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(merged.data).toEqual({ a: '10', c: '3' });
    const strategic = await core.patchNamespacedConfigMap(
      { name: 'node-patched', namespace: 'default', body: { metadata: { labels: { tier: 'web' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.metadata?.labels).toEqual({ tier: 'web' });
  });

  it('KubernetesObjectApi server-side apply', async () => {
    const objects = KubernetesObjectApi.makeApiClient(config());
    const spec = {
      ...cm('node-applied', { a: '1' }),
      metadata: { name: 'node-applied', namespace: 'default' },
    };
    const apply = (body: V1ConfigMap) =>
      objects.patch(body, undefined, undefined, 'node-deployer', true, PatchStrategy.ServerSideApply);
    const created = (await apply(spec)) as V1ConfigMap;
    expect(created.metadata?.managedFields?.map((f) => [f.manager, f.operation])).toEqual([
      ['node-deployer', 'Apply'],
    ]);
    const again = (await apply({ ...spec, data: { a: '2' } })) as V1ConfigMap;
    expect(again.data).toEqual({ a: '2' });
  });

  it('Watch from a resourceVersion', async () => {
    const kc = config();
    const core = kc.makeApiClient(CoreV1Api);
    const listed = await core.listNamespacedConfigMap({ namespace: 'node-watch' });
    await core.createNamespacedConfigMap({ namespace: 'node-watch', body: cm('w', { v: '1' }) });
    await core.patchNamespacedConfigMap({
      name: 'w',
      namespace: 'node-watch',
      body: [{ op: 'replace', path: '/data/v', value: '2' }],
    });
    const seen: string[] = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/node-watch/configmaps',
      { resourceVersion: listed.metadata?.resourceVersion },
      (type, obj: V1ConfigMap) => seen.push(`${type}:${obj.metadata?.name}:${obj.data?.v}`),
      () => {},
    );
    try {
      await core.deleteNamespacedConfigMap({ name: 'w', namespace: 'node-watch' });
      await pollUntil('three events', () => seen.length >= 3);
    } finally {
      controller.abort();
    }
    expect(seen).toEqual(['ADDED:w:1', 'MODIFIED:w:2', 'DELETED:w:2']);
  });

  it('Watch from a too old resourceVersion gets a 410 Expired ERROR event', async () => {
    const small = await startConformanceCluster({ compactionWindow: 3 });
    try {
      for (let i = 0; i < 6; i += 1) {
        await small.cluster.apply({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'churn', namespace: 'default' },
          data: { i: String(i) },
        });
      }
      const kc = new KubeConfig();
      kc.loadFromFile(small.kubeconfig);
      const events: { type: string; code?: number; reason?: string }[] = [];
      let ended = false;
      await new Watch(kc).watch(
        '/api/v1/namespaces/default/configmaps',
        { resourceVersion: '1' },
        (type, obj: { code?: number; reason?: string }) =>
          events.push({ type, code: obj.code, reason: obj.reason }),
        () => {
          ended = true;
        },
      );
      await pollUntil('the watch to end', () => ended);
      expect(events).toEqual([{ type: 'ERROR', code: 410, reason: 'Expired' }]);
    } finally {
      await small.close();
    }
  });

  it('makeInformer keeps its cache in step', async () => {
    const kc = config();
    const core = kc.makeApiClient(CoreV1Api);
    const informer = makeInformer(kc, '/api/v1/namespaces/node-informed/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'node-informed' }),
    );
    await informer.start();
    try {
      await core.createNamespacedConfigMap({ namespace: 'node-informed', body: cm('one', {}) });
      await core.createNamespacedConfigMap({ namespace: 'node-informed', body: cm('two', {}) });
      await core.deleteNamespacedConfigMap({ name: 'one', namespace: 'node-informed' });
      await pollUntil('the informer cache to hold only two', () =>
        informer
          .list()
          .map((o) => o.metadata?.name)
          .join() === 'two'
          ? true
          : undefined,
      );
    } finally {
      await informer.stop();
    }
  });

  it('create a deployment and read its pods and their logs', async () => {
    const kc = config();
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const labels = { app: 'node-web' };
    await apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'node-web', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] },
          },
        },
      },
    });
    const pod = await pollUntil('a running pod', async () => {
      const pods = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=node-web' });
      return pods.items.find((p) => p.status?.phase === 'Running');
    });
    const name = pod.metadata?.name ?? '';
    k.cluster.pods.appendLog(name, 'one\ntwo');
    expect(await core.readNamespacedPodLog({ name, namespace: 'default' })).toBe('one\ntwo\n');
    expect(await core.readNamespacedPodLog({ name, namespace: 'default', tailLines: 1 })).toBe('two\n');
  });
});
