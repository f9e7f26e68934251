import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startHttpServer, type TestServer } from '../../test/servers.js';
import { createKubeSmart, type KubeSmart } from '../instance/kubeSmart.js';
import { isIdempotentMethod, requestPath } from './httpFetch.js';

let server: TestServer | undefined;
let ks: KubeSmart | undefined;
afterEach(async () => {
  await ks?.close();
  await server?.close();
});

describe('fetch helpers', () => {
  it('keeps the path and query and drops the origin', () => {
    expect(requestPath('/a/b?c=1')).toBe('/a/b?c=1');
    expect(requestPath('a/b')).toBe('/a/b');
    expect(requestPath('http://my-backend.default.svc/x?y=2')).toBe('/x?y=2');
    expect(requestPath(new URL('https://elsewhere:8443/z'))).toBe('/z');
  });

  it('knows the idempotent methods', () => {
    expect(['GET', 'head', 'OPTIONS', 'PUT', 'DELETE'].every(isIdempotentMethod)).toBe(true);
    expect(['POST', 'PATCH', 'CONNECT'].some(isIdempotentMethod)).toBe(false);
  });
});

describe('SmartService.fetch() on one endpoint', () => {
  async function serviceAnswering(statuses: number[]) {
    let calls = 0;
    server = await startHttpServer((req, res) => {
      req.resume();
      res.statusCode = statuses[Math.min(calls++, statuses.length - 1)]!;
      res.end(`answer ${calls}`);
    });
    ks = createKubeSmart({ offline: true });
    return ks.service('one', {
      fallback: { host: server.host, port: server.port },
      health: false,
      outlierDetection: false,
      circuitBreaker: false,
    });
  }

  it('retries a GET on 502 and answers with the success', async () => {
    const svc = await serviceAnswering([502, 200]);
    const response = await svc.fetch('/x');
    expect([response.status, response.attempts, await response.text()]).toEqual([200, 2, 'answer 2']);
    expect(svc.status().failoverCount).toBe(1);
  });

  it('never retries a streamed body, even when said idempotent', async () => {
    const svc = await serviceAnswering([503, 200]);
    const body = Readable.toWeb(Readable.from([Buffer.from('chunk')])) as ReadableStream;
    const response = await svc.fetch('/upload', { method: 'PUT', body, idempotent: true });
    expect([response.status, response.attempts]).toEqual([503, 1]);
    await response.body?.cancel();
  });

  it('does not follow redirects: a proxy passes them on', async () => {
    const svc = await serviceAnswering([302]);
    const response = await svc.fetch('/old');
    expect(response.status).toBe(302);
    await response.body?.cancel();
  });
});
