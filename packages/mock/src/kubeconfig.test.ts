import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { kubectl } from '../test/kubectl.js';
import { generateTlsMaterial, type TlsMaterial } from './api/tls.js';
import { KubeApiError } from './kubeApiError.js';
import { kubeConfigFrom, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';

const TOKEN = 's3cret';
const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' };
const CONFIG_MAPS = {
  kind: 'ConfigMapList',
  apiVersion: 'v1',
  metadata: { resourceVersion: '7' },
  items: [{ metadata: { name: 'settings', namespace: 'default' }, data: { mode: 'fast' } }],
};
const UNAUTHORIZED = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Unauthorized',
  reason: 'Unauthorized',
  code: 401,
};

/** A tiny API server: /version and the default namespace's config maps, for holders of TOKEN only. */
function reply(req: IncomingMessage): [status: number, body: unknown] {
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return [401, UNAUTHORIZED];
  const path = req.url?.split('?')[0];
  if (path === '/version') return [200, VERSION];
  if (path === '/api/v1/namespaces/default/configmaps') return [200, CONFIG_MAPS];
  return [404, {}];
}

function answer(req: IncomingMessage, res: ServerResponse): void {
  const [status, body] = reply(req);
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function listen(server: Server, scheme: 'http' | 'https'): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve(`${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`),
    );
  });
}

describe('kubeconfigYaml', () => {
  const caCertPem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('writes one cluster, user and context, current and named kubesmart-mock by default', () => {
    const config = parse(kubeconfigYaml({ server: 'https://127.0.0.1:6443', caCertPem, token: TOKEN }));

    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'kubesmart-mock',
          cluster: {
            server: 'https://127.0.0.1:6443',
            'certificate-authority-data': Buffer.from(caCertPem).toString('base64'),
          },
        },
      ],
      users: [{ name: 'kubesmart-mock', user: { token: TOKEN } }],
      contexts: [{ name: 'kubesmart-mock', context: { cluster: 'kubesmart-mock', user: 'kubesmart-mock' } }],
      'current-context': 'kubesmart-mock',
      preferences: {},
    });
  });

  it('names the context, user and namespace when asked', () => {
    const config = parse(
      kubeconfigYaml({
        server: 'https://127.0.0.1:6443',
        contextName: 'dev',
        user: 'alice',
        namespace: 'team',
      }),
    );

    expect(config.contexts).toEqual([
      { name: 'dev', context: { cluster: 'dev', user: 'alice', namespace: 'team' } },
    ]);
    expect(config.users).toEqual([{ name: 'alice', user: {} }]);
    expect(config['current-context']).toBe('dev');
  });

  it('skips TLS verification and leaves out the CA for an http:// server', () => {
    const config = parse(kubeconfigYaml({ server: 'http://127.0.0.1:8080', caCertPem }));

    expect(config.clusters[0].cluster).toEqual({
      server: 'http://127.0.0.1:8080',
      'insecure-skip-tls-verify': true,
    });
  });

  it('leaves out the CA when verification is skipped on https://', () => {
    const config = parse(
      kubeconfigYaml({ server: 'https://127.0.0.1:6443', caCertPem, insecureSkipTlsVerify: true }),
    );

    expect(config.clusters[0].cluster).toEqual({
      server: 'https://127.0.0.1:6443',
      'insecure-skip-tls-verify': true,
    });
  });

  it('rejects a server that is not an http(s) URL', () => {
    expect(() => kubeconfigYaml({ server: '127.0.0.1:6443' })).toThrow(KubeApiError);
    expect(() => kubeconfigYaml({ server: 'ftp://127.0.0.1' })).toThrow(/not an http:\/\/ or https:\/\/ URL/);
  });
});

describe('writeKubeconfig', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubesmart-kubeconfig-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates parent directories and a file only its owner can read', async () => {
    const path = join(dir, 'a', 'b', 'config');

    await writeKubeconfig(path, { server: 'https://127.0.0.1:6443', token: TOKEN });

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe(
      kubeconfigYaml({ server: 'https://127.0.0.1:6443', token: TOKEN }),
    );
  });

  it('replaces an existing file, tightening its mode and leaving no temporary file behind', async () => {
    const path = join(dir, 'replaced');
    await writeFile(path, 'old', { mode: 0o644 });

    await writeKubeconfig(path, { server: 'http://127.0.0.1:8080' });

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toContain('http://127.0.0.1:8080');
    expect((await readdir(dir)).filter((name) => name.startsWith('replaced'))).toEqual(['replaced']);
  });
});

describe('real clients', () => {
  let tls: TlsMaterial;
  let https: Server;
  const http = createHttpServer(answer);
  let httpsUrl: string;
  let httpUrl: string;
  let home: string;

  beforeAll(async () => {
    tls = await generateTlsMaterial(['127.0.0.1']);
    https = createHttpsServer({ cert: tls.certPem, key: tls.keyPem }, answer);
    httpsUrl = await listen(https, 'https');
    httpUrl = await listen(http, 'http');
    home = await mkdtemp(join(tmpdir(), 'kubesmart-kubectl-'));
  });

  afterAll(async () => {
    https.close();
    http.close();
    await rm(home, { recursive: true, force: true });
  });

  it('client-node reaches an https server with the CA and token from kubeConfigFrom', async () => {
    const api = kubeConfigFrom({ server: httpsUrl, caCertPem: tls.caCertPem, token: TOKEN }).makeApiClient(
      CoreV1Api,
    );

    const list = await api.listNamespacedConfigMap({ namespace: 'default' });

    expect(list.items.map((cm) => cm.data)).toEqual([{ mode: 'fast' }]);
  });

  it('client-node reaches an http:// server', async () => {
    const api = kubeConfigFrom({ server: httpUrl, token: TOKEN }).makeApiClient(CoreV1Api);

    await expect(api.listNamespacedConfigMap({ namespace: 'default' })).resolves.toMatchObject({
      metadata: { resourceVersion: '7' },
    });
  });

  it('client-node sees the 401 of a wrong token', async () => {
    const api = kubeConfigFrom({ server: httpsUrl, caCertPem: tls.caCertPem, token: 'wrong' }).makeApiClient(
      CoreV1Api,
    );

    const failure = await api
      .listNamespacedConfigMap({ namespace: 'default' })
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ApiException);
    expect((failure as ApiException<unknown>).code).toBe(401);
  });

  it('kubectl reads the written file', async () => {
    const kubeconfig = join(home, 'config', 'kubeconfig');
    await writeKubeconfig(kubeconfig, { server: httpsUrl, caCertPem: tls.caCertPem, token: TOKEN });

    const stdout = await kubectl(['--kubeconfig', kubeconfig, 'get', '--raw', '/version'], home);

    expect(JSON.parse(stdout)).toEqual(VERSION);
  }, 40_000);
});
