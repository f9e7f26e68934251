import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from '@kubesmart/agent';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, type RunningHub, startHub, until } from './hubHarness.js';

let dir: string;
let ca: string;
let cluster: MockCluster;
let hub: RunningHub;
let ks: KubeSmart;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA and a server certificate for 127.0.0.1 signed by it; the certificate file carries the chain. */
async function makeCertificates(): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-subj',
    '/CN=hub-test-ca',
    '-days',
    '2',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  await writeFile(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.ext',
  );
  ca = await readFile(join(dir, 'ca.crt'), 'utf8');
  await writeFile(join(dir, 'chain.crt'), (await readFile(join(dir, 'server.crt'), 'utf8')) + ca);
}

function httpsGet(url: string, key: string, withCa: boolean): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'x-api-key': key }, ...(withCa ? { ca } : {}) }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hub-tls-'));
  await makeCertificates();
  cluster = await createMockCluster();
  hub = await startHub(cluster, {
    USE_SSL: 'true',
    SSL_KEYFILE: join(dir, 'server.key'),
    SSL_CERTFILE: join(dir, 'chain.crt'),
  });
  ks = createKubeSmart({ kubeConfig: cluster.kubeConfig });
});

afterAll(async () => {
  await hub?.close();
  await ks?.close();
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
});

async function agentWith(id: string, extra: { ca?: string; caSha256?: string }): Promise<Agent> {
  const { key } = await hub.hub.credentials.create({ name: id, labels: { cluster: 'tls' } });
  const agent = new Agent({
    hubUrl: hub.url.replace('https:', 'wss:'),
    agentId: id,
    clusterId: 'tls',
    credential: key,
    kubeSmart: ks,
    backoff: { baseMs: 20, maxMs: 100 },
    ...extra,
  });
  agent.start();
  return agent;
}

describe('TLS (USE_SSL)', () => {
  it('serves HTTPS; the API answers with the CA and refuses a client without it', async () => {
    expect(hub.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const key = await apiKey(hub.hub);
    const ok = await httpsGet(`${hub.url}/api/v3.0/cluster/health`, key, true);
    expect([ok.status, JSON.parse(ok.body).status]).toEqual([200, 'healthy']);
    await expect(httpsGet(`${hub.url}/api/v3.0/cluster/health`, key, false)).rejects.toThrow(
      /self.signed|certificate/i,
    );
  });

  it('agents connect over wss:// with a CA file or a pinned CA checksum, and not with a wrong pin', async () => {
    const withCa = await agentWith('tls-ca', { ca });
    const pin = `sha256:${new X509Certificate(ca).fingerprint256}`;
    const pinned = await agentWith('tls-pin', { caSha256: pin });
    const wrong = await agentWith('tls-wrong', { caSha256: `sha256:${'ab'.repeat(32)}` });
    const none = await agentWith('tls-none', {});
    try {
      await withCa.connected();
      await pinned.connected();
      await until(
        () => wrong.status().attempt >= 3 && none.status().attempt >= 3,
        'the untrusting agents to retry',
      );
      expect([wrong.status().connected, none.status().connected]).toEqual([false, false]);
      expect(
        hub.hub.registry
          .all()
          .map((s) => s.agentId)
          .sort(),
      ).toEqual(['tls-ca', 'tls-pin']);
    } finally {
      await Promise.all([withCa.close(), pinned.close(), wrong.close(), none.close()]);
    }
  });
});
