import { describe, expect, it } from 'vitest';
import { SUITE, useConformanceCluster } from './harness.js';

// Ruby's kubeclient (Debian's ruby-kubeclient), configured with Kubeclient::Config.read from the
// kubeconfig the emulator writes, over TLS with its CA and the admin's bearer token.

describe('ruby', SUITE, () => {
  const k = useConformanceCluster({
    seed: `
apiVersion: v1
kind: ConfigMap
metadata: { name: seeded, namespace: default, labels: { app: shop } }
data: { mode: fast }
`,
  });

  it('get a configmap', async () => {
    const out = await k.rubyJson(`
cm = kube_client.get_config_map('seeded', 'default')
emit({ name: cm.metadata.name, data: cm.data.to_h, labels: cm.metadata.labels.to_h })
`);
    expect(out).toEqual([{ name: 'seeded', data: { mode: 'fast' }, labels: { app: 'shop' } }]);
  });
});
