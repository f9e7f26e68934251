import { connect, createServer } from 'node:net';
import { waitFor } from '@kubesmart/wait-for';
import { afterEach, describe, expect, it } from 'vitest';
import { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import { IpAllocator } from './ipAllocator.js';
import { PodFleet, type PodFleetOptions, PodNotFoundError } from './podFleet.js';

const pods = resourceByPath('v1', 'pods')!;
const nodes = resourceByPath('v1', 'nodes')!;
const fleets: PodFleet[] = [];

function setup(options: Partial<PodFleetOptions> = {}): { store: ObjectStore; fleet: PodFleet } {
  const store = new ObjectStore();
  const fleet = new PodFleet({ store, probeIntervalMs: 50, ...options });
  fleets.push(fleet);
  fleet.start();
  return { store, fleet };
}

afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.close()));
});

interface PodInput {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  ports?: number[];
  ownedByReplicaSet?: boolean;
  readinessProbe?: Record<string, unknown>;
}

function podObject(input: PodInput): KubeObject {
  const ports = (input.ports ?? [8080]).map((containerPort) => ({
    name: `p${containerPort}`,
    containerPort,
  }));
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: input.name,
      namespace: input.namespace ?? 'default',
      labels: input.labels ?? { app: 'web' },
      ...(input.ownedByReplicaSet
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-rs', uid: 'rs-uid', controller: true },
            ],
          }
        : {}),
    },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'nginx:1.27',
          ports,
          ...(input.readinessProbe ? { readinessProbe: input.readinessProbe } : {}),
        },
      ],
    },
  };
}

function createPod(store: ObjectStore, input: PodInput): KubeObject {
  return store.create(pods, podObject(input));
}

type PodView = KubeObject & {
  spec: { nodeName?: string };
  status?: {
    phase?: string;
    podIP?: string;
    hostIP?: string;
    message?: string;
    conditions?: { type: string; status: string; reason?: string }[];
    containerStatuses?: {
      ready: boolean;
      restartCount: number;
      state: Record<string, Record<string, unknown>>;
      lastState: Record<string, Record<string, unknown>>;
    }[];
  };
};

function getPod(store: ObjectStore, name: string, namespace = 'default'): PodView | undefined {
  return store.get(pods, namespace, name) as PodView | undefined;
}

function isReady(pod: PodView | undefined): boolean {
  return pod?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

const readyPod = (store: ObjectStore, name: string, namespace = 'default') =>
  waitFor(`${name} Ready`, () => {
    const pod = getPod(store, name, namespace);
    return pod?.status?.phase === 'Running' && isReady(pod) ? pod : undefined;
  });

const notReadyPod = (store: ObjectStore, name: string) =>
  waitFor(`${name} NotReady`, () => {
    const pod = getPod(store, name);
    return pod?.status && !isReady(pod) ? pod : undefined;
  });

function connectOutcome(ip: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: ip, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'));
  });
}

describe('PodFleet: scheduling and serving', () => {
  it('schedules a pod, runs its server on its pod IP and marks it Running and Ready', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'web-1' });
    const pod = await readyPod(store, 'web-1');
    const status = pod.status!;
    expect(pod.spec.nodeName).toBe('kubesmart-node-a');
    expect(status.podIP).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(status.podIP).not.toBe('127.0.0.1');
    expect(status.hostIP).toBe('127.0.100.1');
    expect(status.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual(
      expect.arrayContaining(['PodScheduled=True', 'Initialized=True', 'ContainersReady=True', 'Ready=True']),
    );
    expect(status.containerStatuses?.[0]).toMatchObject({
      ready: true,
      restartCount: 0,
      state: { running: {} },
    });
    expect(fleet.ip('web-1')).toBe(status.podIP);

    const res = await fetch(`${fleet.addressOf('web-1').url}/orders`);
    expect(res.headers.get('x-pod-name')).toBe('web-1');
    expect(await res.json()).toEqual({
      pod: 'web-1',
      namespace: 'default',
      port: 8080,
      method: 'GET',
      path: '/orders',
    });
    expect(await (await fetch(`http://${status.podIP}:8080/healthz`)).text()).toBe('ok');
    expect(fleet.status()).toEqual([
      expect.objectContaining({
        name: 'web-1',
        ip: status.podIP,
        mode: 'serve',
        ready: true,
        phase: 'Running',
      }),
    ]);
  });

  it('creates three zoned nodes when there are none and spreads pods round-robin', async () => {
    const { store } = setup();
    for (const name of ['a-1', 'a-2', 'a-3', 'a-4']) createPod(store, { name });
    const placed = await Promise.all(['a-1', 'a-2', 'a-3', 'a-4'].map((n) => readyPod(store, n)));
    expect(placed.map((p) => p.spec.nodeName)).toEqual([
      'kubesmart-node-a',
      'kubesmart-node-b',
      'kubesmart-node-c',
      'kubesmart-node-a',
    ]);
    const zones = store.list(nodes).map((n) => n.metadata.labels?.['topology.kubernetes.io/zone']);
    expect(zones).toEqual(['zone-a', 'zone-b', 'zone-c']);
    expect(new Set(placed.map((p) => p.status?.podIP)).size).toBe(4);
  });

  it('keeps a pod on the node it names, and runs a pod without ports Ready with no server', async () => {
    const { store, fleet } = setup();
    const pinned = podObject({ name: 'pinned', ports: [] });
    store.create(pods, { ...pinned, spec: { ...(pinned.spec as object), nodeName: 'kubesmart-node-c' } });
    const pod = await readyPod(store, 'pinned');
    expect(pod.spec.nodeName).toBe('kubesmart-node-c');
    expect(fleet.status()[0]).toMatchObject({ name: 'pinned', ports: [], ready: true });
    expect(() => fleet.addressOf('pinned')).toThrow(/declares no container port/);
  });

  it('stops the servers and releases the IP when the pod is deleted', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'gone' });
    const ip = (await readyPod(store, 'gone')).status!.podIP!;
    store.delete(pods, 'default', 'gone');
    await waitFor('connection refused', async () => (await connectOutcome(ip, 8080)) === 'ECONNREFUSED');
    expect(fleet.status()).toEqual([]);
    expect(() => fleet.ip('gone')).toThrow(PodNotFoundError);
  });

  it('moves a pod to a fresh IP when its address is in use, and fails it after the last attempt', async () => {
    const taken = new IpAllocator().allocate();
    const [, b = 1, c = 0, d = 1] = taken.split('.').map(Number);
    const drawsOfTaken = [(b - 1 + 0.5) / 254, (c + 0.5) / 256, (d - 1 + 0.5) / 254];
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen({ host: taken, port: 8080 }, resolve));
    try {
      let draws = 0;
      const { store } = setup({ random: () => drawsOfTaken[draws++] ?? Math.random() });
      createPod(store, { name: 'moved' });
      const pod = await readyPod(store, 'moved');
      expect(pod.status?.podIP).not.toBe(taken);

      let stuckDraws = 0;
      const stuck = setup({ random: () => drawsOfTaken[stuckDraws++ % 3] ?? 0, bindAttempts: 1 });
      createPod(stuck.store, { name: 'stuck' });
      const failed = await waitFor('stuck Failed', () => {
        const p = getPod(stuck.store, 'stuck');
        return p?.status?.phase === 'Failed' ? p : undefined;
      });
      expect(failed.status?.message).toContain(`could not listen on ${taken} port(s) 8080`);
      expect(failed.status?.message).toContain('EADDRINUSE');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('adopts pods that exist before start(), keeping their IP, and restarts a pod recreated under the same name', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'keep' });
    const ip = (await readyPod(store, 'keep')).status!.podIP!;
    await fleet.close();
    expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');

    const next = new PodFleet({ store, probeIntervalMs: 50 });
    fleets.push(next);
    next.start();
    await waitFor('keep served again', async () => (await connectOutcome(ip, 8080)) === 'connected');
    expect(next.ip('keep')).toBe(ip);

    store.delete(pods, 'default', 'keep');
    createPod(store, { name: 'keep', ports: [9090] });
    const again = await waitFor('recreated pod serves 9090', async () => {
      const podIP = getPod(store, 'keep')?.status?.podIP;
      return podIP !== undefined && (await connectOutcome(podIP, 9090)) === 'connected' ? podIP : undefined;
    });
    expect(next.addressOf('keep').port).toBe(9090);
    expect(next.ip('keep')).toBe(again);
  });

  it('close() leaves no listening socket', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'c-1', ports: [8080, 9090] });
    const ip = (await readyPod(store, 'c-1')).status!.podIP!;
    expect(await connectOutcome(ip, 9090)).toBe('connected');
    await fleet.close();
    expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');
    expect(await connectOutcome(ip, 9090)).toBe('ECONNREFUSED');
  });
});

describe('PodFleet: behaviour modes', () => {
  it('hang: never answers and the next probe marks the pod NotReady; restore brings it back', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'h-1' });
    const ip = (await readyPod(store, 'h-1')).status!.podIP!;
    fleet.hang('h-1');
    await expect(fetch(`http://${ip}:8080/`, { signal: AbortSignal.timeout(300) })).rejects.toThrow();
    const pod = await notReadyPod(store, 'h-1');
    expect(pod.status?.conditions?.find((c) => c.type === 'ContainersReady')?.status).toBe('False');
    expect(pod.status?.containerStatuses?.[0]?.ready).toBe(false);
    expect(fleet.status()[0]?.mode).toBe('hang');
    await fleet.restore('h-1');
    await readyPod(store, 'h-1');
    expect((await fetch(`http://${ip}:8080/healthz`)).status).toBe(200);
  });

  it('slow: answers after the delay and stays Ready without a readiness probe', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 's-1' });
    const ip = (await readyPod(store, 's-1')).status!.podIP!;
    fleet.slow('s-1', 30);
    expect(await (await fetch(`http://${ip}:8080/healthz`)).text()).toBe('ok');
    expect(fleet.status()[0]).toMatchObject({ mode: 'slow', ready: true });
    expect(() => fleet.slow('s-1', -1)).toThrow(RangeError);
  });

  it('slow beyond the probe timeout makes an httpGet readiness probe fail', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 's-2', readinessProbe: { httpGet: { path: '/healthz', port: 'p8080' } } });
    await readyPod(store, 's-2');
    fleet.slow('s-2', 2000);
    await notReadyPod(store, 's-2');
    fleet.restore('s-2');
    await readyPod(store, 's-2');
  });

  it('fail(503): every request gets 503 and the pod turns NotReady', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'f-1' });
    const ip = (await readyPod(store, 'f-1')).status!.podIP!;
    fleet.fail('f-1', 503);
    expect((await fetch(`http://${ip}:8080/`)).status).toBe(503);
    expect((await fetch(`http://${ip}:8080/healthz`)).status).toBe(503);
    await notReadyPod(store, 'f-1');
    await fleet.restore('f-1');
    await readyPod(store, 'f-1');
    expect(() => fleet.fail('f-1', 42)).toThrow(RangeError);
  });

  it('kill: connections refused, NotReady, then Failed with exit code 137; restore restarts it', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'k-1' });
    const ip = (await readyPod(store, 'k-1')).status!.podIP!;
    await fleet.kill('k-1');
    expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');
    await expect(fetch(`http://${ip}:8080/`)).rejects.toThrow();
    const failed = await waitFor('k-1 Failed', () => {
      const p = getPod(store, 'k-1');
      return p?.status?.phase === 'Failed' ? p : undefined;
    });
    expect(isReady(failed)).toBe(false);
    expect(failed.status?.containerStatuses?.[0]?.state.terminated).toMatchObject({
      exitCode: 137,
      reason: 'Error',
    });
    expect(fleet.status()[0]).toMatchObject({ mode: 'down', ready: false, phase: 'Failed' });

    await fleet.restore('k-1');
    const back = await readyPod(store, 'k-1');
    expect(back.status?.podIP).toBe(ip);
    expect(back.status?.containerStatuses?.[0]).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { exitCode: 137 } },
    });
    expect((await fetch(`http://${ip}:8080/healthz`)).status).toBe(200);
  });

  it('kill: a pod owned by a ReplicaSet is deleted once its probe has failed', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'rs-1', ownedByReplicaSet: true });
    await readyPod(store, 'rs-1');
    const seen: string[] = [];
    store.onChange((e) => {
      if (e.resource === pods && e.object.metadata.name === 'rs-1') {
        const status = e.object.status as PodView['status'];
        seen.push(`${e.type}:${status?.phase}:${isReady(e.object as PodView)}`);
      }
    });
    void fleet.kill('rs-1');
    await waitFor('rs-1 deleted', () => getPod(store, 'rs-1') === undefined);
    expect(seen).toEqual(['MODIFIED:Running:false', 'MODIFIED:Failed:false', 'DELETED:Failed:false']);
    expect(() => fleet.restore('rs-1')).toThrow(PodNotFoundError);
  });
});

describe('PodFleet: custom handlers', () => {
  it('replaces the handler of one pod by name', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'h-1' });
    createPod(store, { name: 'h-2' });
    const [one, two] = [await readyPod(store, 'h-1'), await readyPod(store, 'h-2')];
    const registration = fleet.handle('h-1', (_req, res, ctx) => {
      res.writeHead(418, { 'Content-Type': 'text/plain' });
      res.end(`teapot ${ctx.pod}:${ctx.port}`);
    });
    const custom = await fetch(`http://${one.status?.podIP}:8080/`);
    expect(custom.status).toBe(418);
    expect(await custom.text()).toBe('teapot h-1:8080');
    expect((await fetch(`http://${two.status?.podIP}:8080/`)).status).toBe(200);
    registration.remove();
    expect((await fetch(`http://${one.status?.podIP}:8080/`)).status).toBe(200);
  });

  it('applies a TCP handler by label selector to current and future pods', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'cart-1', labels: { app: 'cart' } });
    createPod(store, { name: 'shop-1', labels: { app: 'shop' } });
    fleet.handle('app=cart', { tcp: (socket, ctx) => socket.end(`raw ${ctx.pod}\n`) });
    createPod(store, { name: 'cart-2', labels: { app: 'cart' } });
    const readRaw = (ip: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect({ host: ip, port: 8080 });
        let text = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          text += chunk;
        });
        socket.on('end', () => resolve(text));
        socket.on('error', reject);
      });
    expect(await readRaw((await readyPod(store, 'cart-1')).status!.podIP!)).toBe('raw cart-1\n');
    expect(await readRaw((await readyPod(store, 'cart-2')).status!.podIP!)).toBe('raw cart-2\n');
    const shop = await readyPod(store, 'shop-1');
    expect((await fetch(`http://${shop.status?.podIP}:8080/healthz`)).status).toBe(200);
  });

  it('follows label changes and probes a custom handler with the pod readiness probe', async () => {
    const { store, fleet } = setup();
    fleet.handle('tier=broken', (req, res) => {
      res.writeHead(req.url === '/ready' ? 500 : 200);
      res.end();
    });
    createPod(store, { name: 'p-1', readinessProbe: { httpGet: { path: '/ready', port: 8080 } } });
    await readyPod(store, 'p-1');
    const current = structuredClone(getPod(store, 'p-1')!);
    current.metadata.labels = { app: 'web', tier: 'broken' };
    store.update(pods, current);
    await notReadyPod(store, 'p-1');
  });
});

describe('PodFleet: logs', () => {
  it('appends lines per container and serves them with tailLines and sinceSeconds', async () => {
    let clock = Date.parse('2025-01-01T00:00:00Z');
    const { store, fleet } = setup({ now: () => clock });
    createPod(store, { name: 'l-1' });
    fleet.appendLog('l-1', 'starting');
    clock += 60_000;
    fleet.appendLog('l-1', 'listening on 8080\nready', { container: 'app' });
    expect(fleet.logs('default', 'l-1')).toBe('starting\nlistening on 8080\nready\n');
    expect(fleet.logs('default', 'l-1', { tailLines: 2 })).toBe('listening on 8080\nready\n');
    expect(fleet.logs('default', 'l-1', { sinceSeconds: 30, container: 'app' })).toBe(
      'listening on 8080\nready\n',
    );
    expect(fleet.logs('default', 'l-1', { tailLines: 1, timestamps: true })).toBe(
      '2025-01-01T00:01:00.000000000Z ready\n',
    );
    expect(() => fleet.logs('default', 'l-1', { container: 'sidecar' })).toThrow(
      /container sidecar is not valid/,
    );
    expect(() => fleet.logs('default', 'nope')).toThrow(PodNotFoundError);
  });
});

describe('PodFleet: container states', () => {
  const eventsFor = (store: ObjectStore, name: string) =>
    store
      .list(resourceByPath('v1', 'events')!, 'default')
      .filter((e) => (e.involvedObject as { name?: string }).name === name)
      .map(
        (e) =>
          e as KubeObject & {
            reason: string;
            message: string;
            type: string;
            count: number;
            source: { component: string };
          },
      );

  it('CrashLoopBackOff: waiting, restarts grow, lastState exit 1, BackOff event; Running restores', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'c-1' });
    const ip = (await readyPod(store, 'c-1')).status!.podIP!;
    await fleet.setContainerState('c-1', 'CrashLoopBackOff');
    const pod = getPod(store, 'c-1')!;
    const cs = pod.status?.containerStatuses?.[0];
    expect(cs?.state.waiting).toMatchObject({ reason: 'CrashLoopBackOff' });
    expect(cs?.lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect(isReady(pod)).toBe(false);
    expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');
    const backOff = eventsFor(store, 'c-1').find((e) => e.reason === 'BackOff');
    expect(backOff).toMatchObject({ type: 'Warning', source: { component: 'kubelet' }, count: 1 });
    expect(backOff?.message).toMatch(/^Back-off restarting failed container app/);
    await waitFor(
      'restartCount grows',
      () => (getPod(store, 'c-1')?.status?.containerStatuses?.[0]?.restartCount ?? 0) >= 2,
    );
    await waitFor(
      'BackOff counted again',
      () => (eventsFor(store, 'c-1').find((e) => e.reason === 'BackOff')?.count ?? 0) >= 2,
    );

    await fleet.setContainerState('c-1', 'Running');
    const back = await readyPod(store, 'c-1');
    expect(back.status?.containerStatuses?.[0]?.state.running).toBeDefined();
    expect((await fetch(`http://${ip}:8080/healthz`)).status).toBe(200);
  });

  it.each(['ImagePullBackOff', 'ErrImagePull'] as const)(
    '%s: Pending, waiting, Failed and BackOff events',
    async (state) => {
      const { store, fleet } = setup();
      createPod(store, { name: 'i-1' });
      await readyPod(store, 'i-1');
      await fleet.setContainerState('i-1', state);
      const pod = getPod(store, 'i-1')!;
      expect(pod.status?.phase).toBe('Pending');
      expect(pod.status?.containerStatuses?.[0]?.state.waiting).toMatchObject({ reason: state });
      const events = eventsFor(store, 'i-1');
      expect(
        events.find(
          (e) => e.reason === 'Failed' && e.message.startsWith('Failed to pull image "nginx:1.27"'),
        ),
      ).toMatchObject({
        type: 'Warning',
      });
      expect(events.some((e) => e.reason === 'BackOff')).toBe(true);
      await fleet.setContainerState('i-1', 'Running');
      await readyPod(store, 'i-1');
    },
  );

  it('OOMKilled: lastState OOMKilled (137), one more restart, a Warning event, still serving', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'o-1' });
    const ip = (await readyPod(store, 'o-1')).status!.podIP!;
    await fleet.setContainerState('o-1', 'OOMKilled', { container: 'app' });
    const cs = getPod(store, 'o-1')?.status?.containerStatuses?.[0];
    expect(cs).toMatchObject({
      restartCount: 1,
      lastState: { terminated: { reason: 'OOMKilled', exitCode: 137 } },
    });
    expect(eventsFor(store, 'o-1').find((e) => e.reason === 'OOMKilling')?.type).toBe('Warning');
    expect((await fetch(`http://${ip}:8080/healthz`)).status).toBe(200);
    await expect(fleet.setContainerState('o-1', 'OOMKilled', { container: 'nope' })).rejects.toThrow(
      /no container "nope"/,
    );
  });

  it('Unschedulable: Pending without node or IP, FailedScheduling event; Running schedules it again', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'u-1' });
    const ip = (await readyPod(store, 'u-1')).status!.podIP!;
    await fleet.setContainerState('u-1', 'Unschedulable');
    const pod = getPod(store, 'u-1')!;
    expect(pod.status?.phase).toBe('Pending');
    expect(pod.spec.nodeName).toBeUndefined();
    expect(pod.status?.podIP).toBeUndefined();
    expect(pod.status?.conditions).toEqual([
      expect.objectContaining({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' }),
    ]);
    const event = eventsFor(store, 'u-1').find((e) => e.reason === 'FailedScheduling');
    expect(event).toMatchObject({ type: 'Warning', source: { component: 'default-scheduler' } });
    expect(event?.message).toMatch(/^0\/3 nodes are available: /);
    expect(await connectOutcome(ip, 8080)).toBe('ECONNREFUSED');
    await fleet.setContainerState('u-1', 'Running');
    const back = await readyPod(store, 'u-1');
    expect(back.spec.nodeName).toMatch(/^kubesmart-node-/);
    expect(eventsFor(store, 'u-1').some((e) => e.reason === 'Scheduled')).toBe(true);
  });
});

describe('PodFleet: errors', () => {
  it('throws PodNotFoundError naming the pod and namespace', async () => {
    const { store, fleet } = setup();
    createPod(store, { name: 'real' });
    const calls: (() => unknown)[] = [
      () => fleet.hang('ghost'),
      () => fleet.slow('ghost', 10),
      () => fleet.fail('ghost', 500),
      () => fleet.kill('ghost'),
      () => fleet.restore('ghost'),
      () => fleet.appendLog('ghost', 'x'),
      () => fleet.setContainerState('ghost', 'Running'),
      () => fleet.ip('ghost'),
      () => fleet.addressOf('ghost'),
      () => fleet.handle('ghost', () => {}),
      () => fleet.hang('real', { namespace: 'kube-system' }),
    ];
    for (const call of calls) expect(call).toThrow(PodNotFoundError);
    try {
      fleet.hang('real', { namespace: 'kube-system' });
    } catch (error) {
      expect(error).toMatchObject({ code: 'POD_NOT_FOUND', pod: 'real', namespace: 'kube-system' });
      expect((error as Error).message).toContain('pod "real" not found in namespace "kube-system"');
    }
    expect(() => fleet.handle('app=', () => {})).not.toThrow();
  });
});
