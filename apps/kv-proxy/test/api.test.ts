import { request as httpRequest } from 'node:http';
import { keyEntry } from '@kubesmart/access';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, call, type RunningProxy, seedApiKey, startProxy } from './proxyHarness.js';

let cluster: MockCluster;
let running: RunningProxy;
let base: string;

beforeAll(async () => {
  cluster = await createMockCluster(); // TLS and bearer tokens between the proxy and the API server
  await seedApiKey(cluster);
  running = await startProxy(cluster, {
    KV_BUCKETS: 'flags,somekey,blobs,sse,limits',
    RATE_LIMIT_RPS: '1000',
  });
  base = running.url;
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
});

const data = (name: string): Record<string, string> | undefined =>
  cluster.get('configmap', name)?.data as Record<string, string> | undefined;

describe('kv-proxy authentication', () => {
  it('answers 401 without a key or with a wrong one, and accepts X-API-Key', async () => {
    const none = await call(`${base}/kv/default/flags`, { auth: false });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/Bearer/);
    const wrong = await call(`${base}/kv/default/flags`, { headers: { authorization: 'Bearer nope' } });
    expect([wrong.status, wrong.json<{ code: string }>().code]).toEqual([401, 'INVALID_API_KEY']);
    const header = await call(`${base}/kv/default/flags`, { auth: false, headers: { 'x-api-key': API_KEY } });
    expect(header.status).toBe(200);
  });

  it('picks up keys added to and removed from the Secret', async () => {
    const fresh = 'ksh_a0b1c2d3e4f50000_anotherkeyanotherkeyanotherkeyanotherkey123';
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'kv-proxy-api-keys', namespace: 'default' },
      stringData: keyEntry(fresh, 'other'),
    });
    const auth = { authorization: `Bearer ${fresh}` };
    await expect
      .poll(async () => (await call(`${base}/kv/default/flags`, { headers: auth })).status)
      .toBe(200);
    cluster.delete('secret', 'kv-proxy-api-keys');
    await seedApiKey(cluster);
    await expect
      .poll(async () => (await call(`${base}/kv/default/flags`, { headers: auth })).status)
      .toBe(401);
  });

  it('leaves health and readiness open, and asks credentials for metrics and docs', async () => {
    expect((await call(`${base}/healthz`, { auth: false })).json()).toEqual({ status: 'ok' });
    const ready = await call(`${base}/readyz`, { auth: false });
    expect([ready.status, ready.json<{ status: string }>().status]).toEqual([200, 'ready']);
    // Counts, never the names of the buckets callers opened.
    expect(ready.json<{ buckets: unknown }>().buckets).toEqual({ open: 5, synced: 5, stale: 0 });
    for (const path of ['/metrics', '/docs/json', '/docs/']) {
      const refused = await call(`${base}${path}`, { auth: false });
      expect([path, refused.status, refused.json<{ code: string }>().code]).toEqual([
        path,
        401,
        'UNAUTHENTICATED',
      ]);
    }
    expect((await call(`${base}/metrics`)).text).toMatch(/kv_proxy_http_requests_total\{/);
    const doc = (await call(`${base}/docs/json`)).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/kv/{namespace}/{configmap}',
        '/kv/{namespace}/{bucket}/{key}',
        '/watch/{namespace}/{bucket}',
      ]),
    );
    expect((await call(`${base}/docs/`)).text).toMatch(/swagger/i);
  });

  it('says nosniff and carries a request id on every answer, errors included', async () => {
    const answers = await Promise.all([
      call(`${base}/healthz`, { auth: false }),
      call(`${base}/kv/default/flags/absent-key`),
      call(`${base}/kv/default/flags`, { auth: false }),
      call(`${base}/no/such/route`),
      call(`${base}/docs/`),
      call(`${base}/metrics`),
    ]);
    for (const answer of answers) {
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
    const missing = answers[1]!.json<{ code: string; requestId: string }>();
    expect(missing.code).toBe('KEY_NOT_FOUND');
    expect(missing.requestId).toBe(answers[1]!.headers.get('x-request-id'));
  });
});

describe('kv-proxy per-key routes', () => {
  it('reads and writes one key with ETag and If-Match (412 on a stale ETag)', async () => {
    const url = `${base}/kv/default/flags/dark-mode`;
    expect((await call(url)).status).toBe(404);
    const put = await call(url, { method: 'PUT', body: 'on', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    const etag = put.headers.get('etag')!;
    expect(etag).toBe(`"${cluster.get('configmap', 'flags')?.metadata.resourceVersion}"`);
    const got = await call(url);
    expect([got.text, got.headers.get('etag'), got.headers.get('content-type')]).toEqual([
      'on',
      etag,
      'text/plain; charset=utf-8',
    ]);
    const next = await call(url, { method: 'PUT', body: 'off', headers: { 'if-match': etag } });
    expect(next.status).toBe(200);
    const stale = await call(url, { method: 'PUT', body: 'lost', headers: { 'if-match': etag } });
    expect([stale.status, stale.json<{ code: string }>().code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect((await call(url, { method: 'DELETE', headers: { 'if-match': etag } })).status).toBe(412);
    expect(data('flags')?.['dark-mode']).toBe('off');
    expect(
      (await call(url, { method: 'DELETE', headers: { 'if-match': next.headers.get('etag')! } })).status,
    ).toBe(204);
    expect((await call(url, { method: 'DELETE' })).status).toBe(404);
    expect((await call(`${url}?consistent=true`)).status).toBe(404);
  });

  it('stores application/octet-stream bodies as bytes', async () => {
    const bytes = Buffer.from([0, 159, 146, 150]);
    const url = `${base}/kv/default/blobs/icon.bin`;
    await call(url, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
    expect(cluster.get('configmap', 'blobs')?.binaryData).toEqual({ 'icon.bin': bytes.toString('base64') });
    const got = await fetch(url, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(Buffer.from(await got.arrayBuffer())).toEqual(bytes);
  });
});

describe('kv-proxy refuses bad input with a 4xx and writes nothing', () => {
  it.each([
    ['an invalid key', 'PUT', '/kv/default/flags/bad%2Fkey', 'x', 'text/plain', 400, 'KV_KEY_INVALID'],
    [
      'an invalid key in a merged object',
      'POST',
      '/kv/default/flags',
      '{"ok":"1","bad/key":"2"}',
      'application/json',
      400,
      'KV_KEY_INVALID',
    ],
    [
      'malformed JSON',
      'POST',
      '/kv/default/flags',
      '{"key": ',
      'application/json',
      400,
      'FST_ERR_CTP_INVALID_JSON_BODY',
    ],
    ['a JSON array', 'POST', '/kv/default/flags', '["a"]', 'application/json', 400, 'BODY_NOT_OBJECT'],
    ['a JSON string', 'PUT', '/kv/default/flags', '"a"', 'application/json', 400, 'BODY_NOT_OBJECT'],
    [
      'a non-string value',
      'POST',
      '/kv/default/flags',
      '{"n": 1}',
      'application/json',
      400,
      'VALUE_NOT_STRING',
    ],
    [
      'an oversized value',
      'PUT',
      '/kv/default/flags/big',
      'x'.repeat(1024 * 1024 + 10),
      'text/plain',
      413,
      'KV_VALUE_TOO_LARGE',
    ],
    [
      'an unknown namespace',
      'POST',
      '/kv/elsewhere/flags',
      '{"a":"1"}',
      'application/json',
      404,
      'NAMESPACE_NOT_SERVED',
    ],
    [
      'a bucket off the allow-list',
      'PUT',
      '/kv/default/secrets/a',
      'x',
      'text/plain',
      404,
      'BUCKET_NOT_SERVED',
    ],
  ])('%s', async (_what, method, path, body, type, status, code) => {
    const before = JSON.stringify(cluster.list('configmap'));
    const answer = await call(`${base}${path}`, { method, body, headers: { 'content-type': type } });
    expect(answer.status).toBe(status);
    const error = answer.json<{ code: string; message: string }>();
    expect(error.code).toBe(code);
    expect(error.message.length).toBeGreaterThan(20);
    expect(JSON.stringify(cluster.list('configmap'))).toBe(before);
  });
});

describe('kv-proxy watch stream', () => {
  it('streams set and delete events of a prefix as Server-Sent Events', async () => {
    const { hostname, port } = new URL(base);
    const events: { event: string; data: { key?: string; value?: string } }[] = [];
    let buffer = '';
    const req = httpRequest({
      host: hostname,
      port,
      path: '/watch/default/sse?prefix=ui.',
      headers: { authorization: `Bearer ${API_KEY}` },
    });
    const ready = new Promise<void>((resolve, reject) => {
      req.on('error', reject);
      req.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const json = /^data: (.*)$/m.exec(block)?.[1];
            if (event && json) events.push({ event, data: JSON.parse(json) });
            if (event === 'ready') resolve();
            end = buffer.indexOf('\n\n');
          }
        });
      });
    });
    req.end();
    await ready;
    await call(`${base}/kv/default/sse/ui.theme`, { method: 'PUT', body: 'dark' });
    await call(`${base}/kv/default/sse/other`, { method: 'PUT', body: 'x' });
    await call(`${base}/kv/default/sse/ui.theme`, { method: 'DELETE' });
    await expect.poll(() => events.length).toBeGreaterThanOrEqual(3);
    req.destroy();
    expect(events.map((e) => [e.event, e.data.key, e.data.value])).toEqual([
      ['ready', undefined, undefined],
      ['set', 'ui.theme', 'dark'],
      ['delete', 'ui.theme', undefined],
    ]);
  });
});

describe('kv-proxy rate limiting', () => {
  it('answers 429 with Retry-After once a caller spends its burst', async () => {
    const limited = await startProxy(cluster, {
      RATE_LIMIT_RPS: '1',
      RATE_LIMIT_BURST: '3',
      KV_BUCKETS: 'limits',
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await call(`${limited.url}/kv/default/limits`)).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const answer = await call(`${limited.url}/kv/default/limits`);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect((await call(`${limited.url}/healthz`, { auth: false })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('kv-proxy discovery', () => {
  it('maps Service names to cluster IPs in an allowed namespace', async () => {
    await cluster.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'default' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80 }] },
    });
    const answer = await call(`${base}/discover/default`);
    expect(answer.json<Record<string, string>>().web).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((await call(`${base}/discover/kube-system`)).status).toBe(404);
  });
});
