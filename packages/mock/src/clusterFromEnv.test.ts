import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterConfigured, clusterFromEnvOrEmulator } from './clusterFromEnv.js';
import { sampleBackend } from './sampleBackend.js';
import type { KubeObject } from './types.js';

let emptyHome: string;
let configuredHome: string;

beforeAll(async () => {
  emptyHome = await mkdtemp(join(tmpdir(), 'kubesmart-home-'));
  configuredHome = await mkdtemp(join(tmpdir(), 'kubesmart-home-'));
  await mkdir(join(configuredHome, '.kube'));
  await writeFile(join(configuredHome, '.kube', 'config'), 'apiVersion: v1\nkind: Config\n');
});
afterAll(async () => {
  await rm(emptyHome, { recursive: true, force: true });
  await rm(configuredHome, { recursive: true, force: true });
});

const CONFIG_MAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: hello, namespace: default }\ndata: { a: "1" }\n';

const HELLO: KubeObject = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'hello', namespace: 'default' },
  data: { a: '1' },
};

describe('clusterFromEnvOrEmulator', () => {
  it('sees a configured cluster in a pod, in KUBECONFIG or in ~/.kube/config', () => {
    expect(clusterConfigured({}, emptyHome)).toBe(false);
    expect(clusterConfigured({ KUBERNETES_SERVICE_HOST: '10.0.0.1' }, emptyHome)).toBe(true);
    expect(clusterConfigured({ KUBECONFIG: '/somewhere/config' }, emptyHome)).toBe(true);
    expect(clusterConfigured({}, configuredHome)).toBe(true);
  });

  it('leaves a configured cluster to the app: no kubeConfig, nothing started', async () => {
    const choice = await clusterFromEnvOrEmulator({ env: {}, home: configuredHome, objects: CONFIG_MAP });
    expect(choice).toMatchObject({ kubeConfig: undefined, emulated: false });
    await choice.close();
  });

  it('starts an emulator with the objects when none is configured, or when asked to', async () => {
    for (const options of [
      { env: {}, home: emptyHome },
      { env: { KUBECONFIG: '/x' }, embedded: true },
    ]) {
      const choice = await clusterFromEnvOrEmulator({ ...options, objects: [HELLO, ...sampleBackend()] });
      try {
        expect(choice.emulated).toBe(true);
        const api = choice.kubeConfig!.makeApiClient(CoreV1Api);
        const map = await api.readNamespacedConfigMap({ name: 'hello', namespace: 'default' });
        expect(map.data).toEqual({ a: '1' });
        expect(await api.readNamespacedService({ name: 'my-backend', namespace: 'default' })).toMatchObject({
          spec: { ports: [{ name: 'http', port: 80 }] },
        });
      } finally {
        await choice.close();
      }
    }
  });

  it('rejects objects the emulator cannot take', async () => {
    await expect(
      clusterFromEnvOrEmulator({ embedded: true, objects: 'kind: Nonsense\nmetadata: { name: x }\n' }),
    ).rejects.toThrow();
  });
});
