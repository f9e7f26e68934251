import { describe, expect, it } from 'vitest';
import { jsonLines, pollUntil, SUITE, useConformanceCluster } from './harness.js';

// Ruby's kubeclient (Debian's ruby-kubeclient), configured with Kubeclient::Config.read from the
// kubeconfig the emulator writes, over TLS with its CA and the admin's bearer token.

interface Notice {
  type: string;
  name: string;
  data?: Record<string, string>;
}

describe('ruby', SUITE, () => {
  const k = useConformanceCluster({
    objects: `
apiVersion: v1
kind: Namespace
metadata: { name: rb }
---
apiVersion: v1
kind: Namespace
metadata: { name: rb-watch }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: preloaded, namespace: rb, labels: { app: shop } }
data: { mode: fast }
`,
  });

  it('get a configmap and list configmaps with a label selector', async () => {
    const out = await k.rubyJson(`
client = kube_client
cm = client.get_config_map('preloaded', 'rb')
emit({ name: cm.metadata.name, data: cm.data.to_h, labels: cm.metadata.labels.to_h })
list = client.get_config_maps(namespace: 'rb', label_selector: 'app=shop')
# kubeclient names a list after the kind of its items.
emit({ names: list.map { |c| c.metadata.name }, kind: list.kind, rv: list.resourceVersion.to_s.empty? ? nil : 'set' })
begin
  client.get_config_map('missing', 'rb')
rescue Kubeclient::ResourceNotFoundError => e
  emit({ missing: e.error_code })
end
`);
    expect(out).toEqual([
      { name: 'preloaded', data: { mode: 'fast' }, labels: { app: 'shop' } },
      { names: ['preloaded'], kind: 'ConfigMap', rv: 'set' },
      { missing: 404 },
    ]);
  });

  it('create, update and delete a configmap', async () => {
    const out = await k.rubyJson(`
client = kube_client
cm = Kubeclient::Resource.new(metadata: { name: 'made', namespace: 'rb' }, data: { 'mode' => 'fast' })
created = client.create_config_map(cm)
emit({ step: 'created', data: created.data.to_h })
created.data.mode = 'slow'
updated = client.update_config_map(created)
emit({ step: 'updated', data: updated.data.to_h })
begin
  client.update_config_map(created)
rescue Kubeclient::HttpError => e
  emit({ step: 'stale update', code: e.error_code })
end
client.patch_config_map('made', { data: { extra: 'yes' } }, 'rb')
emit({ step: 'patched', data: client.get_config_map('made', 'rb').data.to_h })
client.delete_config_map('made', 'rb')
emit({ step: 'deleted', left: client.get_config_maps(namespace: 'rb').map { |c| c.metadata.name } })
`);
    expect(out).toEqual([
      { step: 'created', data: { mode: 'fast' } },
      { step: 'updated', data: { mode: 'slow' } },
      { step: 'stale update', code: 409 },
      { step: 'patched', data: { mode: 'slow', extra: 'yes' } },
      { step: 'deleted', left: ['preloaded'] },
    ]);
    expect(k.cluster.get('configmaps', 'made', 'rb')).toBeUndefined();
  });

  it('watch configmaps from a resourceVersion', async () => {
    const [listed] = await k.rubyJson<{ rv: string }>(`
emit({ rv: kube_client.get_config_maps(namespace: 'rb-watch').resourceVersion })
`);
    const watcher = await k.startRuby(`
seen = 0
watcher = kube_client.watch_config_maps(namespace: 'rb-watch', resource_version: '${listed?.rv}')
watcher.each do |notice|
  emit({ type: notice.type, name: notice.object.metadata.name, data: notice.object.data.to_h })
  seen += 1
  watcher.finish if seen >= 3
end
`);
    // Changes after the listed resourceVersion reach the watch whether they happen before or after
    // it connects.
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: 'rb-watch' },
      data: { step: '1' },
    });
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: 'rb-watch' },
      data: { step: '2' },
    });
    k.cluster.delete('configmaps', 'watched', 'rb-watch');
    const result = await watcher.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines<Notice>(result.stdout)).toEqual([
      { type: 'ADDED', name: 'watched', data: { step: '1' } },
      { type: 'MODIFIED', name: 'watched', data: { step: '2' } },
      { type: 'DELETED', name: 'watched', data: { step: '2' } },
    ]);
  });

  it('watch one configmap by name', async () => {
    await k.cluster.apply([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'mine', namespace: 'rb-watch' },
        data: { v: '1' },
      },
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'other', namespace: 'rb-watch' },
        data: { v: '1' },
      },
    ]);
    const [listed] = await k.rubyJson<{ rv: string }>(`
emit({ rv: kube_client.get_config_maps(namespace: 'rb-watch').resourceVersion })
`);
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'other', namespace: 'rb-watch' },
      data: { v: '2' },
    });
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mine', namespace: 'rb-watch' },
      data: { v: '2' },
    });
    const out = await k.rubyJson<Notice>(`
watcher = kube_client.watch_config_maps(namespace: 'rb-watch', name: 'mine', resource_version: '${listed?.rv}')
watcher.each do |notice|
  emit({ type: notice.type, name: notice.object.metadata.name, data: notice.object.data.to_h })
  watcher.finish
end
`);
    expect(out).toEqual([{ type: 'MODIFIED', name: 'mine', data: { v: '2' } }]);
  });

  it('create, get and delete a deployment through the apps/v1 group', async () => {
    const out = await k.rubyJson(`
apps = kube_client('/apis/apps', 'v1')
labels = { app: 'rb-web' }
deployment = Kubeclient::Resource.new(
  metadata: { name: 'rb-web', namespace: 'rb', labels: labels },
  spec: { replicas: 1, selector: { matchLabels: labels },
          template: { metadata: { labels: labels },
                      spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] } } })
apps.create_deployment(deployment)
found = nil
deadline = Time.now + 90
while Time.now < deadline
  found = apps.get_deployment('rb-web', 'rb')
  break if found.status && found.status.readyReplicas == 1
  sleep 0.1
end
emit({ name: found.metadata.name, replicas: found.spec.replicas, ready: found.status.readyReplicas })
emit({ pods: kube_client.get_pods(namespace: 'rb', label_selector: 'app=rb-web').map { |p| p.status.phase } })
apps.delete_deployment('rb-web', 'rb')
begin
  apps.get_deployment('rb-web', 'rb')
rescue Kubeclient::ResourceNotFoundError => e
  emit({ deleted: e.error_code })
end
`);
    expect(out).toEqual([{ name: 'rb-web', replicas: 1, ready: 1 }, { pods: ['Running'] }, { deleted: 404 }]);
  });

  it('apply a configmap (server-side apply with a field manager)', async () => {
    const out = await k.rubyJson(`
client = kube_client
# apply_entity sends resource.to_json, so it takes a Hash (a Kubeclient::Resource would become a string).
cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', namespace: 'rb' }, data: { 'mode' => 'fast' } }
created = client.apply_config_map(cm, field_manager: 'rb-deployer')
emit({ data: created.data.to_h, managers: created.metadata.managedFields.map { |f| [f.manager, f.operation] } })
cm[:data]['mode'] = 'slow'
applied = client.apply_config_map(cm, field_manager: 'rb-deployer')
emit({ data: applied.data.to_h })
`);
    expect(out).toEqual([
      { data: { mode: 'fast' }, managers: [['rb-deployer', 'Apply']] },
      { data: { mode: 'slow' } },
    ]);
  });

  it('merge patch and JSON patch a configmap', async () => {
    const out = await k.rubyJson(`
client = kube_client
client.create_config_map(Kubeclient::Resource.new(metadata: { name: 'patched', namespace: 'rb' },
                                                  data: { 'a' => '1', 'b' => '2' }))
client.merge_patch_config_map('patched', { data: { a: nil, c: '3' } }, 'rb')
emit(client.get_config_map('patched', 'rb').data.to_h)
client.json_patch_config_map('patched', [{ op: 'replace', path: '/data/b', value: '20' }], 'rb')
emit(client.get_config_map('patched', 'rb').data.to_h)
begin
  client.json_patch_config_map('patched', [{ op: 'test', path: '/data/b', value: 'x' }], 'rb')
rescue Kubeclient::HttpError => e
  emit({ refused: e.error_code })
end
`);
    expect(out).toEqual([{ b: '2', c: '3' }, { b: '20', c: '3' }, { refused: 422 }]);
  });

  it('list configmaps with limit and continue', async () => {
    await k.cluster.apply(
      Array.from({ length: 5 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `rb-page-${i}`, namespace: 'rb', labels: { paged: 'yes' } },
      })),
    );
    const out = await k.rubyJson<{ names: string[]; more: boolean }>(`
client = kube_client
token = nil
loop do
  page = client.get_config_maps(namespace: 'rb', label_selector: 'paged', limit: 2, continue: token)
  token = page.continue
  emit({ names: page.map { |c| c.metadata.name }, more: !token.nil? && !token.empty? })
  break if token.nil? || token.empty?
end
`);
    expect(out.map((page) => page.names.length)).toEqual([2, 2, 1]);
    expect(out.flatMap((page) => page.names).sort()).toEqual(
      Array.from({ length: 5 }, (_, i) => `rb-page-${i}`),
    );
  });

  it('get_pod_log with tail_lines', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'rb-talker', namespace: 'rb' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    await pollUntil(
      'the pod to run',
      () =>
        (k.cluster.get('pods', 'rb-talker', 'rb')?.status as { phase?: string } | undefined)?.phase ===
        'Running',
    );
    k.cluster.pods.appendLog('rb-talker', 'one\ntwo\nthree', { namespace: 'rb' });
    const out = await k.rubyJson(`
client = kube_client
emit({ all: client.get_pod_log('rb-talker', 'rb').to_s, tail: client.get_pod_log('rb-talker', 'rb', tail_lines: 2).to_s })
`);
    expect(out).toEqual([{ all: 'one\ntwo\nthree\n', tail: 'two\nthree\n' }]);
  });
});
