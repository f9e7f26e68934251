import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, get, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkServerIdentity } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectl } from '../../test/kubectl.js';
import { KubeApiError } from '../kubeApiError.js';
import { writeKubeconfig } from '../kubeconfig.js';
import { generateTlsMaterial, type TlsMaterial } from './tls.js';

const VERSION = { major: '1', minor: '31', gitVersion: 'v1.31.0', platform: 'linux/amd64' };

function listenHttps(material: TlsMaterial): Promise<{ server: Server; url: string }> {
  const server = createServer({ cert: material.certPem, key: material.keyPem }, (req, res) => {
    const isVersion = req.url?.split('?')[0] === '/version';
    res.writeHead(isVersion ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(isVersion ? VERSION : {}));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `https://127.0.0.1:${port}` });
    });
  });
}

function fetchVersion(url: string, ca?: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    get(`${url}/version`, ca ? { ca } : {}, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve(JSON.parse(body)));
    }).on('error', reject);
  });
}

describe('generateTlsMaterial', () => {
  let material: TlsMaterial;
  let server: Server;
  let url: string;
  let home: string;

  beforeAll(async () => {
    material = await generateTlsMaterial(['127.0.0.1']);
    ({ server, url } = await listenHttps(material));
    home = await mkdtemp(join(tmpdir(), 'kubesmart-tls-'));
  });

  afterAll(async () => {
    server.close();
    await rm(home, { recursive: true, force: true });
  });

  it('is trusted by Node when the CA is given', async () => {
    await expect(fetchVersion(url, material.caCertPem)).resolves.toEqual(VERSION);
  });

  it('is rejected by Node without the CA', async () => {
    await expect(fetchVersion(url)).rejects.toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
  });

  it('is trusted by kubectl through certificate-authority-data', async () => {
    const kubeconfig = join(home, 'kubeconfig');
    // kubectl asks for a username on stdin when a TLS user has no credentials, so give it a token.
    await writeKubeconfig(kubeconfig, { server: url, caCertPem: material.caCertPem, token: 'any' });

    const stdout = await kubectl(['--kubeconfig', kubeconfig, 'get', '--raw', '/version'], home);

    expect(JSON.parse(stdout)).toEqual(VERSION);
  }, 40_000);

  it('signs a server certificate for serverAuth with the CA', () => {
    const ca = new X509Certificate(material.caCertPem);
    const leaf = new X509Certificate(material.certPem);

    expect(ca.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.checkIssued(ca)).toBe(true);
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(leaf.checkPrivateKey(createPrivateKey(material.keyPem))).toBe(true);
  });

  it('back-dates validity by an hour and lasts about a year', () => {
    const leaf = new X509Certificate(material.certPem);
    const now = Date.now();
    const notBefore = Date.parse(leaf.validFrom);
    const notAfter = Date.parse(leaf.validTo);

    expect(now - notBefore).toBeGreaterThan(59 * 60 * 1000);
    expect(now - notBefore).toBeLessThan(62 * 60 * 1000);
    expect(notAfter - now).toBeGreaterThan(364 * 24 * 60 * 60 * 1000);
  });
});

describe('subject alternative names', () => {
  it('always cover 127.0.0.1 and localhost', async () => {
    const leaf = new X509Certificate((await generateTlsMaterial([])).certPem);

    expect(leaf.subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
  });

  it('put IPs (bracketed or not) in IP SANs and names in DNS SANs, once each', async () => {
    const leaf = new X509Certificate(
      (await generateTlsMaterial(['[::1]', 'Mock.Example', '127.0.0.2', 'localhost', 'mock.example']))
        .certPem,
    );

    expect(leaf.subjectAltName?.split(', ')).toEqual([
      'IP Address:127.0.0.1',
      'DNS:localhost',
      'IP Address:0:0:0:0:0:0:0:1',
      'DNS:mock.example',
      'IP Address:127.0.0.2',
    ]);
    expect(checkServerIdentity('mock.example', leaf.toLegacyObject())).toBeUndefined();
    expect(checkServerIdentity('other.example', leaf.toLegacyObject())).toBeInstanceOf(Error);
  });

  it('reject a host that carries a port or scheme', async () => {
    await expect(generateTlsMaterial(['127.0.0.1:6443'])).rejects.toBeInstanceOf(KubeApiError);
    await expect(generateTlsMaterial(['https://example.com'])).rejects.toThrow(
      /neither an IP address nor a DNS name/,
    );
  });
});
