import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigYaml } from '@kubesmart/mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KubeAPIUnavailableError } from '../errors.js';
import { loadKubeConfig } from './loadKubeConfig.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubesmart-kubeconfig-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function kubeconfigFile(name: string, server: string, contextName = name): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, kubeconfigYaml({ server, token: 't', insecureSkipTlsVerify: true, contextName }));
  return path;
}

describe('loadKubeConfig', () => {
  it('uses the service account first when running in a pod', async () => {
    const sa = join(dir, 'sa');
    await mkdir(sa);
    await writeFile(join(sa, 'token'), 'sa-token');
    await writeFile(join(sa, 'ca.crt'), 'not really a CA');
    await writeFile(join(sa, 'namespace'), 'shop\n');
    const kubeconfig = await kubeconfigFile('config', 'http://127.0.0.1:1');
    const kc = loadKubeConfig({
      env: { KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: '6443', KUBECONFIG: kubeconfig },
      serviceAccountDir: sa,
    });
    expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:6443');
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('shop');
  });

  it('then the KUBECONFIG list, skipping missing files, then ~/.kube/config', async () => {
    const first = await kubeconfigFile('a', 'http://127.0.0.1:1111', 'a');
    const second = await kubeconfigFile('b', 'http://127.0.0.1:2222', 'b');
    const kc = loadKubeConfig({
      env: { KUBECONFIG: [join(dir, 'missing'), first, second].join(':'), HOME: dir },
    });
    expect(kc.getCurrentCluster()?.server).toBe('http://127.0.0.1:1111');
    expect(
      kc
        .getContexts()
        .map((c) => c.name)
        .sort(),
    ).toEqual(['a', 'b']);

    await mkdir(join(dir, '.kube'));
    await writeFile(
      join(dir, '.kube', 'config'),
      kubeconfigYaml({ server: 'http://127.0.0.1:3333', insecureSkipTlsVerify: true }),
    );
    expect(loadKubeConfig({ env: { HOME: dir } }).getCurrentCluster()?.server).toBe('http://127.0.0.1:3333');
  });

  it('says everything it tried and what to do when nothing works', () => {
    const error = (() => {
      try {
        loadKubeConfig({
          env: { KUBECONFIG: join(dir, 'nope'), HOME: dir },
          serviceAccountDir: join(dir, 'sa'),
        });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KubeAPIUnavailableError);
    const { message } = error as Error;
    expect(message).toContain('KUBERNETES_SERVICE_HOST');
    expect(message).toContain(join(dir, 'nope'));
    expect(message).toContain(join(dir, '.kube', 'config'));
    expect(message).toContain('set KUBECONFIG');
  });

  it('loads an explicit path only', async () => {
    const path = await kubeconfigFile('explicit', 'http://127.0.0.1:4444');
    expect(loadKubeConfig({ path, env: {} }).getCurrentCluster()?.server).toBe('http://127.0.0.1:4444');
    expect(() => loadKubeConfig({ path: join(dir, 'missing'), env: {} })).toThrow(KubeAPIUnavailableError);
  });
});
