/**
 * What the resolver benches share: Services and EndpointSlices written straight into the emulator's
 * store (no pods behind them), an open-loop load driver, and a forced GC for heap readings.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { type KubeObject, type MockCluster, resourceByPath } from '@kubesmart/mock';
import { systemClock } from '../src/clock.js';
import { sleep } from '../src/cluster/sleep.js';

const NAMESPACES = resourceByPath('v1', 'namespaces')!;
const SERVICES = resourceByPath('v1', 'services')!;
const SLICES = resourceByPath('discovery.k8s.io/v1', 'endpointslices')!;

/** Target port of every fake endpoint. */
export const TARGET_PORT = 8080;

/** Creates `namespace` in the store unless it exists. */
export function ensureNamespace(cluster: MockCluster, namespace: string): void {
  if (cluster.store.get(NAMESPACES, undefined, namespace)) return;
  cluster.store.create(NAMESPACES, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
}

/** One fake endpoint of a slice: an address, a readiness condition and a pod name. */
export interface FakeEndpoint {
  readonly address: string;
  readonly pod: string;
  readonly ready: boolean;
}

/** The EndpointSlice of `service` holding `endpoints`, port `http` -> 8080. */
export function sliceOf(service: string, namespace: string, endpoints: readonly FakeEndpoint[]): KubeObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: `${service}-bench`,
      namespace,
      labels: { 'kubernetes.io/service-name': service },
    },
    addressType: 'IPv4',
    ports: [{ name: 'http', port: TARGET_PORT, protocol: 'TCP' }],
    endpoints: endpoints.map((e) => ({
      addresses: [e.address],
      conditions: { ready: e.ready, serving: e.ready, terminating: false },
      targetRef: { kind: 'Pod', name: e.pod, namespace },
    })),
  } as unknown as KubeObject;
}

/** `count` ready endpoints 10.a.b.c for service number `index`. */
export function fakeEndpoints(service: string, index: number, count: number): FakeEndpoint[] {
  return Array.from({ length: count }, (_, i) => ({
    address: `10.${(index >> 8) & 255}.${index & 255}.${i + 1}`,
    pod: `${service}-${i}`,
    ready: true,
  }));
}

/**
 * Writes Services `prefix-0000`... (no selector, so the emulated endpoints controller leaves them
 * alone) with one EndpointSlice of `endpoints` ready endpoints each, straight into the store.
 */
export function writeServices(
  cluster: MockCluster,
  namespace: string,
  prefix: string,
  count: number,
  endpoints: number,
): string[] {
  ensureNamespace(cluster, namespace);
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${prefix}-${String(i).padStart(4, '0')}`;
    cluster.store.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { ports: [{ name: 'http', port: 80, targetPort: TARGET_PORT, protocol: 'TCP' }] },
    } as unknown as KubeObject);
    cluster.store.create(SLICES, sliceOf(name, namespace, fakeEndpoints(name, i, endpoints)));
    names.push(name);
  }
  return names;
}

/** Replaces the slice of `service` (written by {@link writeServices} or {@link sliceOf}) in the store. */
export function updateSlice(
  cluster: MockCluster,
  service: string,
  namespace: string,
  endpoints: readonly FakeEndpoint[],
): KubeObject {
  return cluster.store.update(SLICES, sliceOf(service, namespace, endpoints));
}

/** The outcome of one request of a load run. */
export interface Outcome<T> {
  readonly i: number;
  /** When it was sent, in ms since the run started. */
  readonly atMs: number;
  readonly latencyNs: number;
  readonly value?: T;
  readonly error?: unknown;
}

/**
 * Open-loop load: starts request `i` at `i / rate` seconds whether or not earlier ones finished (so a
 * slow endpoint cannot slow the arrivals down), for `durationMs`. Resolves with every outcome and the
 * throughput achieved (completed requests per second of wall time).
 */
export async function openLoop<T>(
  rate: number,
  durationMs: number,
  send: (i: number) => Promise<T>,
  onSent?: (i: number) => void,
): Promise<{ outcomes: Outcome<T>[]; opsPerSecond: number }> {
  const total = Math.round((rate * durationMs) / 1000);
  const interval = 1000 / rate;
  const start = performance.now();
  const running: Promise<Outcome<T>>[] = [];
  const run = async (i: number): Promise<Outcome<T>> => {
    const atMs = performance.now() - start;
    const t0 = process.hrtime.bigint();
    try {
      const value = await send(i);
      return { i, atMs, latencyNs: Number(process.hrtime.bigint() - t0), value };
    } catch (error) {
      return { i, atMs, latencyNs: Number(process.hrtime.bigint() - t0), error };
    }
  };
  for (let i = 0; i < total; i++) {
    const wait = start + i * interval - performance.now();
    if (wait >= 1) await sleep(systemClock, wait);
    running.push(run(i));
    onSent?.(i);
  }
  const outcomes = await Promise.all(running);
  const elapsedS = (performance.now() - start) / 1000;
  return { outcomes, opsPerSecond: outcomes.length / elapsedS };
}

let collect: (() => void) | undefined;

/**
 * The heap in use (bytes) once garbage is gone: full collections with pauses between them, so
 * objects freed by weak callbacks and closing sockets are gone too (`gc()` is enabled on first use).
 */
export async function settledHeap(): Promise<number> {
  if (collect === undefined) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 3; i++) {
    collect();
    await sleep(systemClock, 20);
  }
  collect();
  return process.memoryUsage().heapUsed;
}
