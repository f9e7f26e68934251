import http from 'node:http';
import https from 'node:https';
import { connect } from 'node:net';
import { CoreV1Api, DiscoveryV1Api, type V1ConfigMap, Watch } from '@kubernetes/client-node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMockCluster, type MockCluster } from '../src/index.js';
import { waitFor } from './waitFor.js';

// Every fault is observed from a real client: client-node's typed API and Watch, or raw HTTPS with
// the admin token and the cluster's CA.

let cluster: MockCluster;
let core: CoreV1Api;
let token: string;

beforeAll(async () => {
  cluster = await createMockCluster({
    probeIntervalMs: 50,
    watch: { keepAliveMs: 40, bookmarkIntervalMs: 60_000 },
  });
  core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  token = cluster.access.users().find((u) => u.name === 'admin')?.token ?? '';
  for (const name of ['lat', 'errs', 'drop', 'drop-other', 'stall', 'exp', 'refuse', 'crash']) {
    await core.createNamespace({ body: { metadata: { name } } });
  }
});
afterAll(() => cluster.close());
// A failed test must not leave its faults behind for the next one.
afterEach(() => cluster.faults.clear());

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTPS request on a fresh connection, as the admin user. */
function raw(
  path: string,
  options: { method?: string; body?: unknown; signal?: AbortSignal } = {},
): Promise<RawResponse> {
  const url = new URL(path, cluster.url);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? 'GET',
        ca: cluster.caCertPem,
        agent: false,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}

/** Tracks whether a promise has settled, without awaiting it. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const done = promise.then(
    (value) => {
      settled = true;
      return value;
    },
    (error: unknown) => {
      settled = true;
      throw error;
    },
  );
  return { promise: done, settled: () => settled };
}

const cm = (name: string, data: Record<string, string> = {}): V1ConfigMap => ({ metadata: { name }, data });

const statusOf = (
  body: string,
): { kind: string; reason: string; code: number; message: string; details?: object } => JSON.parse(body);

/** A raw watch stream that counts every byte, keep-alive newline and event it receives. */
interface RawWatch {
  readonly bytes: number;
  readonly keepAlives: number;
  readonly events: { type: string; name: string | undefined }[];
  readonly ended: boolean;
  close(): void;
}

async function rawWatch(path: string): Promise<RawWatch> {
  const url = new URL(path, cluster.url);
  url.searchParams.set('watch', 'true');
  const state = { bytes: 0, keepAlives: 0, events: [] as RawWatch['events'], ended: false, buffer: '' };
  const req = https.request(url, {
    ca: cluster.caCertPem,
    agent: false,
    headers: { Authorization: `Bearer ${token}` },
  });
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    req.on('response', resolve);
    req.on('error', reject);
    req.end();
  });
  expect(res.statusCode).toBe(200);
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    state.bytes += Buffer.byteLength(chunk);
    state.buffer += chunk;
    let newline = state.buffer.indexOf('\n');
    while (newline >= 0) {
      const line = state.buffer.slice(0, newline);
      state.buffer = state.buffer.slice(newline + 1);
      if (line.trim() === '') state.keepAlives += 1;
      else {
        const event = JSON.parse(line) as { type: string; object: { metadata?: { name?: string } } };
        state.events.push({ type: event.type, name: event.object.metadata?.name });
      }
      newline = state.buffer.indexOf('\n');
    }
  });
  res.on('end', () => {
    state.ended = true;
  });
  res.on('error', () => {
    state.ended = true;
  });
  return {
    get bytes() {
      return state.bytes;
    },
    get keepAlives() {
      return state.keepAlives;
    },
    get events() {
      return state.events;
    },
    get ended() {
      return state.ended;
    },
    close: () => req.destroy(),
  };
}

/** A client-node Watch with what it received and how it ended. */
async function clientWatch(path: string, query: Record<string, string | number | boolean | undefined> = {}) {
  const seen = {
    events: [] as { type: string; name?: string; code?: number; reason?: string }[],
    done: false,
    error: undefined as unknown,
  };
  const controller = await new Watch(cluster.kubeConfig).watch(
    path,
    query,
    (type, obj: { metadata?: { name?: string }; code?: number; reason?: string }) => {
      seen.events.push({ type, name: obj.metadata?.name, code: obj.code, reason: obj.reason });
    },
    (error: unknown) => {
      seen.done = true;
      seen.error = error;
    },
  );
  return { seen, abort: () => controller.abort() };
}

/** Resolves with the error code of a TCP connect to host:port (`undefined` when it connects). */
function connectError(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code));
  });
}

describe('latency', () => {
  it('delays matching requests: a client timeout shorter than the latency fires, a patient request completes', async () => {
    const handle = cluster.faults.latency(300, { resource: 'configmaps', namespace: 'lat' });
    try {
      const patient = track(raw('/api/v1/namespaces/lat/configmaps'));
      // The client's 30 ms timer starts before the server's 300 ms one, in the same process: it fires first.
      const impatient = raw('/api/v1/namespaces/lat/configmaps', { signal: AbortSignal.timeout(30) });
      await expect(impatient).rejects.toMatchObject({ name: 'AbortError' });
      expect(patient.settled()).toBe(false);
      const answer = await patient.promise;
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ kind: 'ConfigMapList' });
    } finally {
      handle.remove();
    }
  });

  it('matches by verb, resource and namespace only; remove() ends it', async () => {
    await core.createNamespacedConfigMap({ namespace: 'lat', body: cm('target') });
    const handle = cluster.faults.latency(1500, { verb: 'list', resource: 'configmaps', namespace: 'lat' });
    const controller = new AbortController();
    const delayed = track(raw('/api/v1/namespaces/lat/configmaps', { signal: controller.signal }));
    try {
      const others = await Promise.all([
        raw('/api/v1/namespaces/lat/configmaps/target'), // another verb
        raw('/api/v1/namespaces/default/configmaps'), // another namespace
        raw('/api/v1/namespaces/lat/secrets'), // another resource
        raw('/api/v1/configmaps'), // all namespaces
      ]);
      expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect(delayed.settled()).toBe(false);
    } finally {
      controller.abort();
    }
    await expect(delayed.promise).rejects.toMatchObject({ name: 'AbortError' });

    // Once removed, the same request overtakes a sentinel that another latency still holds back.
    handle.remove();
    const sentinelHandle = cluster.faults.latency(1500, {
      verb: 'list',
      resource: 'secrets',
      namespace: 'lat',
    });
    const stop = new AbortController();
    const sentinel = track(raw('/api/v1/namespaces/lat/secrets', { signal: stop.signal }));
    try {
      expect((await raw('/api/v1/namespaces/lat/configmaps')).status).toBe(200);
      expect(sentinel.settled()).toBe(false);
    } finally {
      stop.abort();
      sentinelHandle.remove();
    }
    await expect(sentinel.promise).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('error statuses', () => {
  it('answers 500 InternalError to matching requests only', async () => {
    await core.createNamespacedConfigMap({ namespace: 'errs', body: cm('present') });
    const handle = cluster.faults.error({
      status: 500,
      verb: 'list',
      resource: 'configmaps',
      namespace: 'errs',
    });
    try {
      const failed = core.listNamespacedConfigMap({ namespace: 'errs' });
      await expect(failed).rejects.toMatchObject({ code: 500 });
      const body = await failed.catch((e: { body: string }) => statusOf(e.body));
      expect(body).toMatchObject({
        kind: 'Status',
        reason: 'InternalError',
        code: 500,
        message: 'injected fault: list configmaps answered 500',
      });
      await expect(
        core.readNamespacedConfigMap({ name: 'present', namespace: 'errs' }),
      ).resolves.toBeTruthy();
      await expect(core.listNamespacedConfigMap({ namespace: 'default' })).resolves.toBeTruthy();
      await expect(core.listNamespacedSecret({ namespace: 'errs' })).resolves.toBeTruthy();
    } finally {
      handle.remove();
    }
    await expect(core.listNamespacedConfigMap({ namespace: 'errs' })).resolves.toBeTruthy();
  });

  it('answers 429 TooManyRequests with Retry-After', async () => {
    const handle = cluster.faults.error({
      status: 429,
      retryAfterSeconds: 2,
      resource: 'configmaps',
      namespace: 'errs',
    });
    try {
      const answer = await raw('/api/v1/namespaces/errs/configmaps');
      expect(answer.status).toBe(429);
      expect(answer.headers['retry-after']).toBe('2');
      expect(statusOf(answer.body)).toMatchObject({
        kind: 'Status',
        reason: 'TooManyRequests',
        code: 429,
        details: { retryAfterSeconds: 2 },
      });
      await expect(core.listNamespacedConfigMap({ namespace: 'errs' })).rejects.toMatchObject({
        code: 429,
        headers: { 'retry-after': '2' },
      });
    } finally {
      handle.remove();
    }
  });

  it('fails only `times` matching requests, then removes itself', async () => {
    cluster.faults.error({ status: 503, times: 2, verb: 'get', resource: 'namespaces' });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await raw('/api/v1/namespaces/errs')).status);
    expect(statuses).toEqual([503, 503, 200, 200]);
  });

  it('fails a share of matching requests given by `rate`', async () => {
    const count = async (rate: number, requests: number): Promise<number> => {
      const handle = cluster.faults.error({ status: 500, rate, verb: 'get', resource: 'namespaces' });
      let failed = 0;
      try {
        for (let i = 0; i < requests; i += 1) {
          const status = (await raw('/api/v1/namespaces/errs')).status;
          expect([200, 500]).toContain(status);
          if (status === 500) failed += 1;
        }
      } finally {
        handle.remove();
      }
      return failed;
    };
    expect(await count(0, 30)).toBe(0);
    expect(await count(1, 30)).toBe(30);
    // With rate 0.5, 200 requests all failing or all passing has a probability of 2^-199.
    const half = await count(0.5, 200);
    expect(half).toBeGreaterThan(0);
    expect(half).toBeLessThan(200);
  });
});

describe('watch faults', () => {
  it('dropWatches() ends matching open watches cleanly; the done callback gets no error', async () => {
    const dropped = await clientWatch('/api/v1/namespaces/drop/configmaps');
    const kept = await clientWatch('/api/v1/namespaces/drop-other/configmaps');
    try {
      await core.createNamespacedConfigMap({ namespace: 'drop', body: cm('first') });
      await waitFor('the first event', () => dropped.seen.events.length === 1);

      expect(cluster.faults.dropWatches({ namespace: 'drop' })).toBe(1);
      await waitFor('the done callback', () => dropped.seen.done);
      expect(dropped.seen.error).toBeNull();
      expect(dropped.seen.events).toEqual([{ type: 'ADDED', name: 'first' }]);

      await core.createNamespacedConfigMap({ namespace: 'drop-other', body: cm('still-watched') });
      await waitFor('the other watch to see its event', () => kept.seen.events.length === 1);
      expect(kept.seen.done).toBe(false);
    } finally {
      dropped.abort();
      kept.abort();
    }
  });

  it('stallWatches() silences open watches while lists answer; after remove() new watches work', async () => {
    await core.createNamespacedConfigMap({ namespace: 'stall', body: cm('before') });
    const stalled = await rawWatch('/api/v1/namespaces/stall/configmaps');
    let fresh: RawWatch | undefined;
    try {
      await waitFor('the stream to be live', () => stalled.events.length === 1 && stalled.keepAlives > 0);
      const handle = cluster.faults.stallWatches();
      const bytesAtStall = stalled.bytes;

      await core.createNamespacedConfigMap({ namespace: 'stall', body: cm('during') });
      const list = await core.listNamespacedConfigMap({ namespace: 'stall' });
      expect(list.items.map((i) => i.metadata?.name)).toEqual(['before', 'during']);
      handle.remove();

      fresh = await rawWatch('/api/v1/namespaces/stall/configmaps');
      await core.createNamespacedConfigMap({ namespace: 'stall', body: cm('after') });
      const watch = fresh;
      await waitFor('the new watch to see every object', () => watch.events.length === 3);
      expect(watch.events).toEqual([
        { type: 'ADDED', name: 'before' },
        { type: 'ADDED', name: 'during' },
        { type: 'ADDED', name: 'after' },
      ]);
      // Three keep-alive periods pass on the new watch, and the stalled one still sent nothing.
      const keepAlives = watch.keepAlives;
      await waitFor('three keep-alives on the new watch', () => watch.keepAlives >= keepAlives + 3);
      expect(stalled.bytes).toBe(bytesAtStall);
      expect(stalled.events).toEqual([{ type: 'ADDED', name: 'before' }]);
      expect(stalled.ended).toBe(false);
    } finally {
      stalled.close();
      fresh?.close();
    }
  });

  it('expireNextWatch() answers one watch with a 410 Expired ERROR event, then watches are normal', async () => {
    cluster.faults.expireNextWatch({ resource: 'configmaps', namespace: 'exp' });
    const expired = await clientWatch('/api/v1/namespaces/exp/configmaps', { resourceVersion: '1' });
    await waitFor('the expired watch to end', () => expired.seen.done);
    expect(expired.seen.events).toEqual([{ type: 'ERROR', name: undefined, code: 410, reason: 'Expired' }]);

    const list = await core.listNamespacedConfigMap({ namespace: 'exp' });
    const normal = await clientWatch('/api/v1/namespaces/exp/configmaps', {
      resourceVersion: list.metadata?.resourceVersion,
    });
    try {
      await core.createNamespacedConfigMap({ namespace: 'exp', body: cm('fine') });
      await waitFor('the event', () => normal.seen.events.length === 1);
      expect(normal.seen.events).toEqual([
        { type: 'ADDED', name: 'fine', code: undefined, reason: undefined },
      ]);
      expect(normal.seen.done).toBe(false);
    } finally {
      normal.abort();
    }
  });

  it('refuseConnections(ms) refuses connections during the window, then serves again', async () => {
    const watch = await clientWatch('/api/v1/namespaces/refuse/configmaps');
    const refusing = cluster.faults.refuseConnections(300);
    // The listening socket closes synchronously; this connect is attempted before any timer can run.
    const during = raw('/api/v1/namespaces/refuse/configmaps');
    await expect(during).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await waitFor('the open watch to be cut', () => watch.seen.done);

    await refusing;
    expect((await raw('/api/v1/namespaces/refuse/configmaps')).status).toBe(200);
    await expect(core.listNamespacedConfigMap({ namespace: 'refuse' })).resolves.toBeTruthy();
  });

  it('restart() cuts watches and keeps the store: same objects, same resourceVersions', async () => {
    for (const name of ['one', 'two'])
      await core.createNamespacedConfigMap({ namespace: 'crash', body: cm(name, { name }) });
    const before = await core.listNamespacedConfigMap({ namespace: 'crash' });
    const watch = await clientWatch('/api/v1/namespaces/crash/configmaps', {
      resourceVersion: before.metadata?.resourceVersion,
    });
    const url = cluster.url;

    await cluster.restart();
    await waitFor('the watch to be cut', () => watch.seen.done);

    expect(cluster.url).toBe(url);
    const after = await core.listNamespacedConfigMap({ namespace: 'crash' });
    const view = (list: typeof before) =>
      list.items.map((i) => ({
        name: i.metadata?.name,
        uid: i.metadata?.uid,
        rv: i.metadata?.resourceVersion,
        data: i.data,
      }));
    expect(view(after)).toEqual(view(before));
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);

    // A watch resumed from the old resourceVersion sees only what changed since.
    const resumed = await clientWatch('/api/v1/namespaces/crash/configmaps', {
      resourceVersion: before.metadata?.resourceVersion,
    });
    try {
      await core.createNamespacedConfigMap({ namespace: 'crash', body: cm('three') });
      await waitFor('the resumed watch to see the new object', () => resumed.seen.events.length === 1);
      expect(resumed.seen.events[0]).toMatchObject({ type: 'ADDED', name: 'three' });
    } finally {
      resumed.abort();
    }
  });
});

describe('close()', () => {
  it('leaves nothing listening: the API port and the pod servers refuse connections', async () => {
    const doomed = await createMockCluster({
      probeIntervalMs: 50,
      objects: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'solo', namespace: 'default' },
        spec: { containers: [{ name: 'app', image: 'app:1', ports: [{ containerPort: 8080 }] }] },
      },
    });
    const pod = await waitFor('the pod to serve', () => doomed.pods.status().find((p) => p.ready));
    const address = doomed.pods.addressOf('solo');
    const api = new URL(doomed.url);
    expect(await connectError(api.hostname, Number(api.port))).toBeUndefined();
    expect(await connectError(address.ip, address.port)).toBeUndefined();
    expect(pod.ip).toBe(address.ip);

    await doomed.close();
    expect(await connectError(api.hostname, Number(api.port))).toBe('ECONNREFUSED');
    expect(await connectError(address.ip, address.port)).toBe('ECONNREFUSED');
  });
});

describe('pod faults through the cluster', () => {
  let discovery: DiscoveryV1Api;
  let url: string;

  /** GET on a fresh connection to the pod's own server. */
  function podGet(signal?: AbortSignal): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.get(url, { agent: false, ...(signal ? { signal } : {}) }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
  }

  /** The EndpointSlice `ready` condition of a pod, or undefined when the slice does not list it. */
  async function sliceReady(pod = 'flaky-1'): Promise<boolean | undefined> {
    const slices = await discovery.listNamespacedEndpointSlice({
      namespace: 'default',
      labelSelector: 'kubernetes.io/service-name=flaky',
    });
    const endpoint = slices.items.flatMap((s) => s.endpoints).find((e) => e.targetRef?.name === pod);
    return endpoint?.conditions?.ready;
  }

  const becomes = (what: string, ready: boolean, pod = 'flaky-1') =>
    waitFor(`the endpoint of ${pod} to become ${what}`, async () => (await sliceReady(pod)) === ready);

  beforeAll(async () => {
    discovery = cluster.kubeConfig.makeApiClient(DiscoveryV1Api);
    await cluster.apply(`
apiVersion: v1
kind: Service
metadata: { name: flaky, namespace: default }
spec:
  selector: { app: flaky }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
---
apiVersion: v1
kind: Pod
metadata: { name: flaky-1, namespace: default, labels: { app: flaky } }
spec:
  containers:
    - name: app
      image: app:1
      ports: [{ name: http, containerPort: 8080 }]
      readinessProbe: { httpGet: { path: /healthz, port: 8080 } }
---
# Without a readinessProbe: ready while its first port accepts connections and it neither hangs nor fails.
apiVersion: v1
kind: Pod
metadata: { name: plain-1, namespace: default, labels: { app: flaky } }
spec:
  containers:
    - name: app
      image: app:1
      ports: [{ name: http, containerPort: 8080 }]
`);
    await becomes('ready', true);
    await becomes('ready', true, 'plain-1');
    url = cluster.pods.addressOf('flaky-1').url;
  });

  it('serves and is ready before any fault', async () => {
    const answer = await podGet();
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({ pod: 'flaky-1', namespace: 'default', port: 8080 });
  });

  it('kill closes its server and takes it out of the ready endpoints; restore brings both back', async () => {
    await cluster.pods.kill('flaky-1');
    await expect(podGet()).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await waitFor('no ready endpoint for the pod', async () => (await sliceReady()) !== true);

    await cluster.pods.restore('flaky-1');
    await becomes('ready', true);
    expect((await podGet()).status).toBe(200);
  });

  it('hang accepts but never answers, and the endpoint goes not ready', async () => {
    cluster.pods.hang('flaky-1');
    cluster.pods.hang('plain-1');
    // A hung server never answers, so the client's timeout is the only way the request ends.
    await expect(podGet(AbortSignal.timeout(100))).rejects.toMatchObject({ name: 'AbortError' });
    await becomes('not ready', false);
    await becomes('not ready', false, 'plain-1');

    await cluster.pods.restore('flaky-1');
    await cluster.pods.restore('plain-1');
    await becomes('ready', true);
    await becomes('ready', true, 'plain-1');
    expect((await podGet()).status).toBe(200);
  });

  it('slow delays every answer: a shorter client timeout fires, a patient request is answered', async () => {
    cluster.pods.slow('flaky-1', 1_500);
    cluster.pods.slow('plain-1', 1_500);
    const patient = track(podGet());
    await expect(podGet(AbortSignal.timeout(30))).rejects.toMatchObject({ name: 'AbortError' });
    expect(patient.settled()).toBe(false);
    expect((await patient.promise).status).toBe(200);
    // The readiness probe times out after 1000 ms, shorter than the delay, so the pod is not ready;
    // the pod without a probe is only checked for accepting connections, which a slow pod does.
    await becomes('not ready', false);
    expect(await sliceReady('plain-1')).toBe(true);

    await cluster.pods.restore('flaky-1');
    await cluster.pods.restore('plain-1');
    await becomes('ready', true);
  });

  it('fail answers every request with the status, and the endpoint goes not ready', async () => {
    cluster.pods.fail('flaky-1', 503);
    cluster.pods.fail('plain-1', 500);
    expect((await podGet()).status).toBe(503);
    await becomes('not ready', false);
    await becomes('not ready', false, 'plain-1');

    await cluster.pods.restore('flaky-1');
    await cluster.pods.restore('plain-1');
    await becomes('ready', true);
    await becomes('ready', true, 'plain-1');
    expect((await podGet()).status).toBe(200);
  });
});
