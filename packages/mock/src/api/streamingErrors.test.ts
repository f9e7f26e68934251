import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { createMockCluster, type MockCluster } from '../index.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('bad input to the streaming and proxy paths gets the Status a real server sends', () => {
  let cluster: MockCluster;
  let token: string;

  /** One request over TLS with the admin token; upgrades that are refused answer like any request. */
  function request(
    path: string,
    options: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ): Promise<Answer> {
    const url = new URL(path, cluster.url);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: options.method ?? 'GET',
          ca: cluster.caCertPem,
          headers: { authorization: `Bearer ${token}`, ...options.headers },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      req.on('upgrade', (res, socket) => {
        socket.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '' });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  const status = (answer: Answer) =>
    JSON.parse(answer.body) as { reason: string; code: number; message: string };

  beforeAll(async () => {
    cluster = await createMockCluster({
      probeIntervalMs: 50,
      objects: `
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default }
spec: { containers: [{ name: main, image: x, ports: [{ containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Pod
metadata: { name: quiet, namespace: default }
spec: { containers: [{ name: main, image: x }] }
`,
    });
    token = cluster.kubeConfig.getCurrentUser()?.token ?? '';
    await waitFor('the pod IP', () => cluster.pods.podIp('default', 'web'));
  });
  afterAll(() => cluster?.close());

  it('an unknown subresource is 404 NotFound', async () => {
    const answer = await request('/api/v1/namespaces/default/pods/web/bogus');
    expect(answer.status).toBe(404);
    expect(status(answer).reason).toBe('NotFound');
  });

  it('an Accept header naming no served media type is 406 NotAcceptable', async () => {
    const answer = await request('/api/v1/namespaces/default/pods', {
      headers: { accept: 'application/xml' },
    });
    expect(answer.status).toBe(406);
    expect(status(answer)).toMatchObject({ reason: 'NotAcceptable', code: 406 });
    const fine = await request('/api/v1/namespaces/default/pods', {
      headers: { accept: 'application/xml, */*' },
    });
    expect(fine.status).toBe(200);
  });

  it('a body in an unknown media type is 415 UnsupportedMediaType and nothing is stored', async () => {
    const answer = await request('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'typed' } }),
    });
    expect(answer.status).toBe(415);
    expect(status(answer).reason).toBe('UnsupportedMediaType');
    expect(cluster.get('configmaps', 'typed')).toBeUndefined();
  });

  it('exec, attach and portforward without an upgrade are 400 Upgrade request required', async () => {
    for (const sub of ['exec?command=ls', 'attach', 'portforward']) {
      const answer = await request(`/api/v1/namespaces/default/pods/web/${sub}`, { method: 'POST' });
      expect(answer.status).toBe(400);
      expect(status(answer).message).toBe('Upgrade request required');
    }
  });

  it('an upgrade to a path without streams is 404; a port-forward upgrade of the wrong kind is refused', async () => {
    const upgrade = (path: string, headers: Record<string, string>) =>
      request(path, { headers: { connection: 'Upgrade', ...headers } });
    const elsewhere = await upgrade('/api/v1/namespaces/default/pods', {
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    expect(elsewhere.status).toBe(404);
    const wrongTunnel = await upgrade('/api/v1/namespaces/default/pods/web/portforward', {
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-protocol': 'v4.channel.k8s.io',
    });
    expect(wrongTunnel.status).toBe(400);
    const wrongSpdy = await upgrade('/api/v1/namespaces/default/pods/web/portforward', {
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'v9.portforward.example',
    });
    expect(wrongSpdy.status).toBe(403);
    const execWrongSpdy = await upgrade('/api/v1/namespaces/default/pods/web/exec?command=ls&stdout=true', {
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'channel.k8s.io',
    });
    expect(execWrongSpdy.status).toBe(403);
    const unknownPod = await upgrade('/api/v1/namespaces/default/pods/ghost/portforward', {
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'portforward.k8s.io',
    });
    expect(unknownPod.status).toBe(404);
    const spdy = await upgrade('/api/v1/namespaces/default/pods/web/portforward', {
      upgrade: 'SPDY/3.1',
      'x-stream-protocol-version': 'portforward.k8s.io',
    });
    expect(spdy.status).toBe(101);
    expect(spdy.headers['x-stream-protocol-version']).toBe('portforward.k8s.io');
  });

  it('the proxy answers 404, 400 and 503 Statuses for what it cannot reach', async () => {
    const proxy = (id: string, method = 'GET') =>
      request(`/api/v1/namespaces/default/${id}/proxy/`, { method });
    expect((await proxy('pods/ghost')).status).toBe(404);
    expect((await proxy('services/ghost')).status).toBe(404);
    expect((await proxy('pods/quiet')).status).toBe(400);
    const https = await proxy('pods/https:web:8080');
    expect(https.status).toBe(503);
    const refused = await proxy('pods/web:9');
    expect(refused.status).toBe(503);
    expect(status(refused).message).toContain('error trying to reach pods/web');
    expect((await proxy('pods/web:8080', 'TRACE')).status).toBe(405);
    const fine = await proxy('pods/web:8080', 'DELETE');
    expect(fine.status).toBe(200);
    expect(JSON.parse(fine.body)).toMatchObject({ pod: 'web', method: 'DELETE', path: '/' });
  });
});
