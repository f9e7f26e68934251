import { describe, expect, it } from 'vitest';
import { SUITE, useConformanceCluster } from './harness.js';

// The daily kubectl operations, with KUBECONFIG pointing at the kubeconfig the emulator writes.

describe('kubectl', SUITE, () => {
  const k = useConformanceCluster({
    seed: `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: default, labels: { app: shop } }
data: { mode: fast }
`,
  });

  it('get configmap -o json', async () => {
    const cm = JSON.parse(await k.kubectlOk('get', 'configmap', 'settings', '-o', 'json'));
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'settings' }, data: { mode: 'fast' } });
  });
});
