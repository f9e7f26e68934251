import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

const run = promisify(execFile);

let cluster: MockCluster;
let running: RunningProxy;
let dir: string;
let ca: Buffer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kv-proxy-tls-'));
  const cert = join(dir, 'tls.crt');
  const key = join(dir, 'tls.key');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  ca = await readFile(cert);
  cluster = await createMockCluster();
  await seedApiKey(cluster);
  running = await startProxy(cluster, { TLS_CERT_FILE: cert, TLS_KEY_FILE: key });
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
});

function get(path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, running.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers: { authorization: `Bearer ${API_KEY}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('kv-proxy with TLS_CERT_FILE and TLS_KEY_FILE', () => {
  it('serves HTTPS, and the emulated API server behind it over TLS with a token', async () => {
    expect(running.url.startsWith('https://')).toBe(true);
    expect(cluster.url.startsWith('https://')).toBe(true);
    expect(await get('/kv/default/somekey')).toEqual({ status: 200, body: '{}' });
    expect((await get('/healthz')).status).toBe(200);
  });
});
