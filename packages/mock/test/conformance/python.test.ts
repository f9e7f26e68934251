import { describe, expect, it } from 'vitest';
import { jsonLines, pollUntil, SUITE, startConformanceCluster, useConformanceCluster } from './harness.js';

// The official Python client (Debian's python3-kubernetes), configured with load_kube_config from
// the kubeconfig the emulator writes, over TLS with its CA.

interface WatchLine {
  type: string;
  name: string;
  rv: string;
  data?: Record<string, string> | null;
}

/** A script that prints one JSON line per event of a configmap watch, stopping after `stopAfter` events. */
const configMapWatch = (namespace: string, kwargs: string, stopAfter: number) => `
w = watch.Watch()
v1 = client.CoreV1Api()
seen = 0
for event in w.stream(v1.list_namespaced_config_map, '${namespace}'${kwargs}):
    cm = event['object']
    emit({'type': event['type'], 'name': cm.metadata.name, 'rv': cm.metadata.resource_version, 'data': cm.data})
    seen += 1
    if seen >= ${stopAfter}:
        w.stop()
`;

describe('python', SUITE, () => {
  const k = useConformanceCluster({
    objects: `
apiVersion: v1
kind: Namespace
metadata: { name: watched }
---
apiVersion: v1
kind: Namespace
metadata: { name: paged }
---
apiVersion: v1
kind: Namespace
metadata: { name: history }
`,
  });

  it('create, read, replace and delete a configmap', async () => {
    const out = await k.pythonJson(`
v1 = client.CoreV1Api()
body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name='settings'), data={'mode': 'fast'})
created = v1.create_namespaced_config_map('default', body)
emit({'step': 'created', 'rv': created.metadata.resource_version, 'data': created.data})
read = v1.read_namespaced_config_map('settings', 'default')
read.data['mode'] = 'slow'
replaced = v1.replace_namespaced_config_map('settings', 'default', read)
emit({'step': 'replaced', 'data': replaced.data})
try:
    v1.replace_namespaced_config_map('settings', 'default', read)
except ApiException as e:
    emit({'step': 'stale replace', 'status': e.status, 'reason': json.loads(e.body)['reason']})
v1.delete_namespaced_config_map('settings', 'default')
try:
    v1.read_namespaced_config_map('settings', 'default')
except ApiException as e:
    emit({'step': 'gone', 'status': e.status})
`);
    expect(out).toEqual([
      { step: 'created', rv: expect.any(String), data: { mode: 'fast' } },
      { step: 'replaced', data: { mode: 'slow' } },
      { step: 'stale replace', status: 409, reason: 'Conflict' },
      { step: 'gone', status: 404 },
    ]);
    expect(k.cluster.get('configmaps', 'settings', 'default')).toBeUndefined();
  });

  it('create, read, patch and delete a secret', async () => {
    const out = await k.pythonJson(`
import base64
v1 = client.CoreV1Api()
body = client.V1Secret(metadata=client.V1ObjectMeta(name='creds'), type='Opaque',
                       data={'password': base64.b64encode(b's3cret').decode()},
                       string_data={'user': 'alice'})
v1.create_namespaced_secret('default', body)
read = v1.read_namespaced_secret('creds', 'default')
emit({k: base64.b64decode(v).decode() for k, v in read.data.items()})
v1.patch_namespaced_secret('creds', 'default', {'stringData': {'user': 'bob'}})
read = v1.read_namespaced_secret('creds', 'default')
emit({'user': base64.b64decode(read.data['user']).decode(), 'type': read.type})
v1.delete_namespaced_secret('creds', 'default')
emit({'left': [s.metadata.name for s in v1.list_namespaced_secret('default').items if s.metadata.name == 'creds']})
`);
    expect(out).toEqual([
      { password: 's3cret', user: 'alice' },
      { user: 'bob', type: 'Opaque' },
      { left: [] },
    ]);
  });

  it('create, scale and delete a deployment', async () => {
    const out = await k.pythonJson(`
apps = client.AppsV1Api()
labels = {'app': 'py-web'}
body = client.V1Deployment(
    metadata=client.V1ObjectMeta(name='py-web', labels=labels),
    spec=client.V1DeploymentSpec(
        replicas=1,
        selector=client.V1LabelSelector(match_labels=labels),
        template=client.V1PodTemplateSpec(
            metadata=client.V1ObjectMeta(labels=labels),
            spec=client.V1PodSpec(containers=[client.V1Container(
                name='web', image='web:1', ports=[client.V1ContainerPort(container_port=8080)])]))))
created = apps.create_namespaced_deployment('default', body)
emit({'step': 'created', 'replicas': created.spec.replicas})
apps.patch_namespaced_deployment_scale('py-web', 'default', {'spec': {'replicas': 2}})
deadline = time.time() + 90
while time.time() < deadline:
    d = apps.read_namespaced_deployment('py-web', 'default')
    if (d.status.ready_replicas or 0) == 2:
        break
    time.sleep(0.1)
emit({'step': 'scaled', 'replicas': d.spec.replicas, 'ready': d.status.ready_replicas})
pods = client.CoreV1Api().list_namespaced_pod('default', label_selector='app=py-web').items
emit({'step': 'pods', 'count': len(pods), 'phases': sorted({p.status.phase for p in pods})})
apps.delete_namespaced_deployment('py-web', 'default', propagation_policy='Foreground')
try:
    apps.read_namespaced_deployment('py-web', 'default')
    emit({'step': 'deleted', 'status': 200})
except ApiException as e:
    emit({'step': 'deleted', 'status': e.status})
`);
    expect(out).toEqual([
      { step: 'created', replicas: 1 },
      { step: 'scaled', replicas: 2, ready: 2 },
      { step: 'pods', count: 2, phases: ['Running'] },
      { step: 'deleted', status: 404 },
    ]);
  });

  it('create a pod, read its status and delete it', async () => {
    const out = await k.pythonJson(`
v1 = client.CoreV1Api()
body = client.V1Pod(metadata=client.V1ObjectMeta(name='py-pod', labels={'app': 'py-pod'}),
                    spec=client.V1PodSpec(containers=[client.V1Container(
                        name='app', image='app:1', ports=[client.V1ContainerPort(container_port=8080)])]))
v1.create_namespaced_pod('default', body)
deadline = time.time() + 90
while time.time() < deadline:
    pod = v1.read_namespaced_pod('py-pod', 'default')
    ready = [c.status for c in (pod.status.conditions or []) if c.type == 'Ready']
    if pod.status.phase == 'Running' and ready == ['True']:
        break
    time.sleep(0.1)
emit({'phase': pod.status.phase, 'ready': ready, 'ip': bool(pod.status.pod_ip),
      'containers': [c.name for c in pod.status.container_statuses]})
v1.delete_namespaced_pod('py-pod', 'default', grace_period_seconds=0)
`);
    expect(out).toEqual([{ phase: 'Running', ready: ['True'], ip: true, containers: ['app'] }]);
    await pollUntil('the pod to be gone', () => k.cluster.get('pods', 'py-pod', 'default') === undefined);
  });

  it('list with limit and continue', async () => {
    await k.cluster.apply(
      Array.from({ length: 7 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `page-${i}`, namespace: 'paged' },
        data: { i: String(i) },
      })),
    );
    const out = await k.pythonJson<{ names: string[]; more: boolean; remaining: number | null }>(`
v1 = client.CoreV1Api()
token = None
while True:
    page = v1.list_namespaced_config_map('paged', limit=3, _continue=token)
    token = page.metadata._continue
    emit({'names': [c.metadata.name for c in page.items], 'more': bool(token),
          'remaining': page.metadata.remaining_item_count})
    if not token:
        break
`);
    expect(out.map((page) => page.names.length)).toEqual([3, 3, 1]);
    expect(out.flatMap((page) => page.names).sort()).toEqual(
      Array.from({ length: 7 }, (_, i) => `page-${i}`),
    );
    expect(out.map((page) => page.more)).toEqual([true, true, false]);
  });

  it('watch.Watch().stream(list_namespaced_config_map) receives ADDED, MODIFIED and DELETED', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'present', namespace: 'watched' },
      data: { state: 'before' },
    });
    const watcher = await k.startPython(configMapWatch('watched', ', timeout_seconds=150', 4));
    // A watch without a resourceVersion starts with the objects that exist: once that ADDED arrives,
    // the watch is open and every later change reaches it.
    await watcher.waitForOutput('the ADDED event of the existing configmap', (out) =>
      jsonLines<WatchLine>(out).some((e) => e.type === 'ADDED' && e.name === 'present'),
    );
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fresh', namespace: 'watched' },
      data: { state: 'new' },
    });
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'fresh', namespace: 'watched' },
      data: { state: 'changed' },
    });
    k.cluster.delete('configmaps', 'fresh', 'watched');
    const result = await watcher.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines<WatchLine>(result.stdout).map(({ type, name, data }) => ({ type, name, data }))).toEqual(
      [
        { type: 'ADDED', name: 'present', data: { state: 'before' } },
        { type: 'ADDED', name: 'fresh', data: { state: 'new' } },
        { type: 'MODIFIED', name: 'fresh', data: { state: 'changed' } },
        { type: 'DELETED', name: 'fresh', data: { state: 'changed' } },
      ],
    );
  });

  it('watch from a resourceVersion', async () => {
    const [listed] = await k.pythonJson<{ rv: string }>(`
emit({'rv': client.CoreV1Api().list_namespaced_config_map('history').metadata.resource_version})
`);
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'later', namespace: 'history' },
      data: { step: '1' },
    });
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'later', namespace: 'history' },
      data: { step: '2' },
    });
    // The changes happened before the watch starts: it replays them from the list's resourceVersion.
    const out = await k.pythonJson<WatchLine>(
      configMapWatch('history', `, resource_version='${listed?.rv}', timeout_seconds=150`, 2),
    );
    expect(out.map(({ type, data }) => ({ type, data }))).toEqual([
      { type: 'ADDED', data: { step: '1' } },
      { type: 'MODIFIED', data: { step: '2' } },
    ]);
    expect(Number(out[0]?.rv)).toBeGreaterThan(Number(listed?.rv));
  });

  it('watch from a too old resourceVersion raises ApiException 410', async () => {
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
      const out = await small.pythonJson(`
v1 = client.CoreV1Api()
for kwargs in ({'timeout_seconds': 60}, {}):
    try:
        for event in watch.Watch().stream(v1.list_namespaced_config_map, 'default', resource_version='1', **kwargs):
            emit({'unexpected': event['type']})
    except ApiException as e:
        emit({'retries': 'timeout_seconds' not in kwargs, 'status': e.status, 'reason': e.reason})
`);
      expect(out).toEqual([
        { retries: false, status: 410, reason: expect.stringMatching(/^Expired: too old resource version/) },
        { retries: true, status: 410, reason: expect.stringMatching(/^Expired: too old resource version/) },
      ]);
    } finally {
      await small.close();
    }
  });

  it('patch a deployment: strategic merge, merge and JSON patch', async () => {
    const out = await k.pythonJson(`
apps = client.AppsV1Api()
labels = {'app': 'patched'}
apps.create_namespaced_deployment('default', {
    'apiVersion': 'apps/v1', 'kind': 'Deployment',
    'metadata': {'name': 'patched', 'labels': labels},
    'spec': {'replicas': 0, 'selector': {'matchLabels': labels},
             'template': {'metadata': {'labels': labels}, 'spec': {'containers': [
                 {'name': 'app', 'image': 'app:1', 'env': [{'name': 'A', 'value': '1'}]},
                 {'name': 'side', 'image': 'side:1'}]}}}})
def view():
    d = apps.read_namespaced_deployment('patched', 'default')
    return {'labels': d.metadata.labels, 'containers': [
        {'name': c.name, 'image': c.image, 'env': sorted(e.name for e in (c.env or []))} for c in d.spec.template.spec.containers]}
# A dict body is a strategic merge patch: containers and env merge by name (in no promised order).
apps.patch_namespaced_deployment('patched', 'default', {'spec': {'template': {'spec': {'containers': [
    {'name': 'app', 'image': 'app:2', 'env': [{'name': 'B', 'value': '2'}]}]}}}})
emit({'patch': 'strategic', **view()})
# A list body is a JSON patch.
apps.patch_namespaced_deployment('patched', 'default', [
    {'op': 'replace', 'path': '/spec/template/spec/containers/1/image', 'value': 'side:2'},
    {'op': 'add', 'path': '/metadata/labels/tier', 'value': 'web'}])
emit({'patch': 'json', **view()})
# A merge patch replaces lists whole; the client is told so through its Content-Type header.
merge = client.AppsV1Api(client.ApiClient())
merge.api_client.set_default_header('Content-Type', 'application/merge-patch+json')
merge.patch_namespaced_deployment('patched', 'default', {'metadata': {'labels': {'tier': None}},
    'spec': {'template': {'spec': {'containers': [{'name': 'only', 'image': 'only:1'}]}}}})
emit({'patch': 'merge', **view()})
try:
    apps.patch_namespaced_deployment('patched', 'default', [{'op': 'test', 'path': '/spec/replicas', 'value': 5}])
except ApiException as e:
    emit({'patch': 'failed test', 'status': e.status})
apps.delete_namespaced_deployment('patched', 'default')
`);
    expect(out).toEqual([
      {
        patch: 'strategic',
        labels: { app: 'patched' },
        containers: [
          { name: 'app', image: 'app:2', env: ['A', 'B'] },
          { name: 'side', image: 'side:1', env: [] },
        ],
      },
      {
        patch: 'json',
        labels: { app: 'patched', tier: 'web' },
        containers: [
          { name: 'app', image: 'app:2', env: ['A', 'B'] },
          { name: 'side', image: 'side:2', env: [] },
        ],
      },
      {
        patch: 'merge',
        labels: { app: 'patched' },
        containers: [{ name: 'only', image: 'only:1', env: [] }],
      },
      { patch: 'failed test', status: 422 },
    ]);
  });

  it('delete_collection with a label selector', async () => {
    await k.cluster.apply(
      ['a', 'b', 'c'].map((name) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: `bulk-${name}`,
          namespace: 'default',
          labels: { batch: name === 'c' ? 'keep' : 'drop' },
        },
      })),
    );
    const out = await k.pythonJson(`
v1 = client.CoreV1Api()
v1.delete_collection_namespaced_config_map('default', label_selector='batch=drop')
emit(sorted(c.metadata.name for c in v1.list_namespaced_config_map('default', label_selector='batch').items))
`);
    expect(out).toEqual([['bulk-c']]);
  });

  it('read_namespaced_pod_log with tail_lines', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'talker', namespace: 'default' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    await pollUntil(
      'the pod to run',
      () =>
        (k.cluster.get('pods', 'talker', 'default')?.status as { phase?: string } | undefined)?.phase ===
        'Running',
    );
    k.cluster.pods.appendLog('talker', 'starting\nlistening on 8080\nready');
    const out = await k.pythonJson(`
v1 = client.CoreV1Api()
emit({'all': v1.read_namespaced_pod_log('talker', 'default'),
      'tail': v1.read_namespaced_pod_log('talker', 'default', tail_lines=1, container='app')})
try:
    v1.read_namespaced_pod_log('talker', 'default', container='nope')
except ApiException as e:
    emit({'status': e.status})
`);
    expect(out).toEqual([{ all: 'starting\nlistening on 8080\nready\n', tail: 'ready\n' }, { status: 400 }]);
  });

  it('utils.create_from_yaml', async () => {
    const manifest = await k.file(
      'manifest.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: from-yaml, namespace: default }
data: { source: file }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: from-yaml, namespace: default }
spec:
  replicas: 0
  selector: { matchLabels: { app: from-yaml } }
  template:
    metadata: { labels: { app: from-yaml } }
    spec: { containers: [{ name: app, image: app:1 }] }
`,
    );
    const out = await k.pythonJson(`
from kubernetes import utils
created = utils.create_from_yaml(client.ApiClient(), '${manifest}')
emit(sorted(o.kind + '/' + o.metadata.name for group in created for o in group))
try:
    utils.create_from_yaml(client.ApiClient(), '${manifest}')
except utils.FailToCreateError as e:
    emit(sorted(x.status for x in e.api_exceptions))
`);
    expect(out).toEqual([
      ['ConfigMap/from-yaml', 'Deployment/from-yaml'],
      [409, 409],
    ]);
  });

  it('DynamicClient get, create and patch', async () => {
    const out = await k.pythonJson(`
from kubernetes.dynamic import DynamicClient
# Its discovery cache goes under the test's HOME rather than the shared temporary directory.
dyn = DynamicClient(client.ApiClient(), cache_file=os.path.join(os.environ['HOME'], 'discovery.json'))
cms = dyn.resources.get(api_version='v1', kind='ConfigMap')
cms.create(body={'apiVersion': 'v1', 'kind': 'ConfigMap', 'metadata': {'name': 'dynamic'}, 'data': {'a': '1'}},
           namespace='default')
cms.patch(body={'data': {'b': '2'}}, name='dynamic', namespace='default',
          content_type='application/merge-patch+json')
got = cms.get(name='dynamic', namespace='default')
deployments = dyn.resources.get(api_version='apps/v1', kind='Deployment')
emit({'data': dict(got.data), 'deployments': deployments.name, 'namespaced': deployments.namespaced})
`);
    expect(out).toEqual([{ data: { a: '1', b: '2' }, deployments: 'deployments', namespaced: true }]);
  });

  it('watch with a label selector sees objects enter and leave the selection', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'anchor', namespace: 'watched', labels: { tier: 'gold' } },
    });
    const watcher = await k.startPython(
      configMapWatch('watched', ", label_selector='tier=gold', timeout_seconds=150", 3),
    );
    await watcher.waitForOutput('the ADDED event of the anchor', (out) =>
      jsonLines<WatchLine>(out).some((e) => e.type === 'ADDED' && e.name === 'anchor'),
    );
    const mover = (tier: string) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'mover', namespace: 'watched', labels: { tier } },
      data: { tier },
    });
    await k.cluster.apply(mover('silver'));
    await k.cluster.apply(mover('gold'));
    await k.cluster.apply(mover('bronze'));
    const result = await watcher.exited;
    expect(result.code, result.stderr).toBe(0);
    expect(jsonLines<WatchLine>(result.stdout).map(({ type, name, data }) => ({ type, name, data }))).toEqual(
      [
        { type: 'ADDED', name: 'anchor', data: null },
        { type: 'ADDED', name: 'mover', data: { tier: 'gold' } },
        { type: 'DELETED', name: 'mover', data: { tier: 'bronze' } },
      ],
    );
  });
});
