import { describe, expect, it } from 'vitest';
import { SUITE, useConformanceCluster } from './harness.js';

// The official Python client (Debian's python3-kubernetes), configured with load_kube_config from
// the kubeconfig the emulator writes, over TLS with its CA.

describe('python', SUITE, () => {
  const k = useConformanceCluster();

  it('create, read, replace and delete a configmap', async () => {
    const out = await k.pythonJson<Record<string, unknown>>(`
v1 = client.CoreV1Api()
body = client.V1ConfigMap(metadata=client.V1ObjectMeta(name='settings'), data={'mode': 'fast'})
created = v1.create_namespaced_config_map('default', body)
emit({'step': 'created', 'rv': created.metadata.resource_version, 'data': created.data})
read = v1.read_namespaced_config_map('settings', 'default')
read.data['mode'] = 'slow'
replaced = v1.replace_namespaced_config_map('settings', 'default', read)
emit({'step': 'replaced', 'data': replaced.data})
v1.delete_namespaced_config_map('settings', 'default')
try:
    v1.read_namespaced_config_map('settings', 'default')
    emit({'step': 'gone', 'status': 200})
except ApiException as e:
    emit({'step': 'gone', 'status': e.status})
`);
    expect(out).toEqual([
      { step: 'created', rv: expect.any(String), data: { mode: 'fast' } },
      { step: 'replaced', data: { mode: 'slow' } },
      { step: 'gone', status: 404 },
    ]);
    expect(k.cluster.get('configmaps', 'settings', 'default')).toBeUndefined();
  });
});
