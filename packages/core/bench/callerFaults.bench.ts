/**
 * Resolve-and-call users under faults (issue 16): the same fault table for callers who pick() an
 * endpoint and call it with their own client, for the kubeSmartService-compatible facade, and for
 * svc.fetch(). Then what the facade costs warm against pick() at 3 and 30 pods, and the fallback
 * while the API server is black-holed and after it comes back.
 */
import { request } from 'node:http';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import type { Endpoint, KubeSmart, SmartService, SmartServiceOptions } from '../src/index.js';
import { closeResolver, createKubeSmart, initResolver, kubeService } from '../src/index.js';
import { type ApiProxy, startApiProxy } from '../test/apiProxy.js';
import { deployApp, FAST_WATCH, waitInStep } from '../test/meshCluster.js';
import { startHttpServer } from '../test/servers.js';
import { waitFor } from '../test/waitFor.js';
import { latencies, measure, type Row, type Section, stats } from './harness.js';

const TRIALS = 3;
const CALLS = 50;
/** Calls before the fault: enough for the hedge delay to follow the observed latency (20 successes). */
const WARMUP = 25;
const REPLICAS = 3;
/** The own client's timeout: the peer's 1 s connect timeout. */
const OWN_TIMEOUT_MS = 1_000;

/** A caller's own client: one GET on a fresh connection, failing after OWN_TIMEOUT_MS. */
function ownGet(endpoint: Endpoint): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = request({ host: endpoint.host, port: endpoint.port, path: '/', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve());
      res.on('error', reject);
    });
    req.setTimeout(OWN_TIMEOUT_MS, () =>
      req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
    );
    req.on('error', reject);
    req.end();
  });
}

interface Caller {
  readonly name: string;
  /** Makes what the calls need; `call` runs one call, `close` undoes `open`. */
  open(
    cluster: MockCluster,
    app: string,
  ): Promise<{ svc: SmartService; call(): Promise<void>; close(): Promise<void> }>;
}

async function meshService(cluster: MockCluster, app: string, options: SmartServiceOptions = {}) {
  const ks = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  const svc = ks.service(app, options);
  await waitInStep(cluster, svc, REPLICAS);
  await svc.ready({ healthChecked: true });
  return { ks, svc };
}

const closing = (ks: KubeSmart) => () => ks.close();

const CALLERS: readonly Caller[] = [
  {
    name: 'pick(), own client',
    async open(cluster, app) {
      const { ks, svc } = await meshService(cluster, app);
      return { svc, call: () => ownGet(svc.pick()), close: closing(ks) };
    },
  },
  {
    name: 'pick(), own client, report()',
    async open(cluster, app) {
      const { ks, svc } = await meshService(cluster, app);
      const call = async (): Promise<void> => {
        const endpoint = svc.pick();
        try {
          await ownGet(endpoint);
          svc.report(endpoint);
        } catch (error) {
          svc.report(endpoint, error);
          throw error;
        }
      };
      return { svc, call, close: closing(ks) };
    },
  },
  {
    name: 'await pickReachable(), own client',
    async open(cluster, app) {
      const { ks, svc } = await meshService(cluster, app);
      return { svc, call: async () => ownGet(await svc.pickReachable()), close: closing(ks) };
    },
  },
  {
    name: 'await kubeService(), own client (compat)',
    async open(cluster, app) {
      initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
      const handle = await kubeService(app, { env: {} });
      await waitFor('3 pods', () => handle.availablePods.length === REPLICAS);
      const call = async (): Promise<void> => ownGet((await kubeService(app, { env: {} })).endpoint);
      return { svc: handle.service, call, close: closeResolver };
    },
  },
  {
    name: 'svc.fetch()',
    async open(cluster, app) {
      const { ks, svc } = await meshService(cluster, app);
      const call = async (): Promise<void> => {
        await (await svc.fetch('/')).arrayBuffer();
      };
      return { svc, call, close: closing(ks) };
    },
  },
];

interface Fault {
  readonly name: string;
  readonly cluster: () => MockCluster;
  apply(cluster: MockCluster, pod: string): Promise<void> | void;
}

interface Trial {
  readonly failed: number;
  readonly latenciesNs: number[];
}

let apps = 0;

async function trial(fault: Fault, caller: Caller): Promise<Trial> {
  const cluster = fault.cluster();
  const app = `faults-${++apps}`;
  await deployApp(cluster, app, { replicas: REPLICAS });
  const { svc, call, close } = await caller.open(cluster, app);
  try {
    for (let i = 0; i < WARMUP; i++) await call();
    const victim = svc.endpoints()[0]!.endpoint.pod!;
    await fault.apply(cluster, victim);
    let failed = 0;
    const latenciesNs: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      const start = process.hrtime.bigint();
      await call().catch(() => failed++);
      latenciesNs.push(Number(process.hrtime.bigint() - start));
    }
    return { failed, latenciesNs };
  } finally {
    await close();
    cluster.delete('deployment', app);
    cluster.delete('service', app);
  }
}

async function faultTable(oneSecond: MockCluster, thirtySeconds: MockCluster): Promise<Section> {
  const faults: Fault[] = [
    {
      name: 'pod killed, readiness every 1 s',
      cluster: () => oneSecond,
      apply: (c, pod) => c.pods.kill(pod),
    },
    {
      name: 'pod killed, readiness every 30 s',
      cluster: () => thirtySeconds,
      apply: (c, pod) => c.pods.kill(pod),
    },
    { name: 'pod hung', cluster: () => oneSecond, apply: (c, pod) => c.pods.hang(pod) },
  ];
  const rows: Row[] = [];
  const verdicts: string[] = [];
  for (const fault of faults) {
    let baseline: string | undefined;
    for (const caller of CALLERS) {
      const trials: Trial[] = [];
      for (let t = 0; t < TRIALS; t++) trials.push(await trial(fault, caller));
      const all = trials.flatMap((t) => t.latenciesNs);
      const slowestMs = Math.max(...all) / 1e6;
      const name = `${fault.name}: ${caller.name}`;
      rows.push({
        name,
        measurement: latencies(all),
        ...(baseline === undefined ? {} : { baseline }),
        note: `failed ${trials.map((t) => t.failed).join(', ')} of ${CALLS}; slowest ${slowestMs.toFixed(1)} ms`,
      });
      baseline ??= name;
    }
  }
  const failedOf = (row: Row) => row.note?.match(/failed ([\d, ]+) of/)?.[1] ?? '?';
  const byCaller = (caller: string, fault: string) =>
    rows.find((r) => r.name === `${fault}: ${caller}`) as Row;
  verdicts.push(
    `killed pod, readiness 1 s, pick() without report(): failed ${failedOf(byCaller(CALLERS[0]!.name, faults[0]!.name))} of 50 (before: 12-20; the peer: 0 at 1.4 s per resolve); with report(): ${failedOf(byCaller(CALLERS[1]!.name, faults[0]!.name))}.`,
    `killed pod, readiness 30 s, pick() without report(): failed ${failedOf(byCaller(CALLERS[0]!.name, faults[1]!.name))} of 50 (before: 33-52 over about 8 s): the health checker's held connection closes with the killed process, the probe it triggers is refused, and the pod is out long before its readiness probe; the calls already under way when it closed fail.`,
    `hung pod, svc.fetch(): slowest call ${(stats(byCaller('svc.fetch()', faults[2]!.name).measurement.samplesNs).p99Ns / 1e6).toFixed(1)} ms at p99 (before: 10,000-10,031 ms); the hedge goes out after 2x the observed p99 (at least 25 ms; 500 ms before 20 successes).`,
    'the own client times out after 1 s, as the peer; a hung pod costs pick() callers that second until report() (or the breaker it feeds) takes the pod out. A TCP check cannot tell a hung pod from a healthy one (nor could the peer\'s connect): use `health: { type: "http" }` for that, or report(); the compat handle has handle.report().',
  );
  return {
    heading: 'Resolve-and-call users under faults: pick(), the compat facade and fetch()',
    text:
      `3 fake pods per Service on the emulator, kubesmart's defaults. Per row: ${TRIALS} trials, each a fresh Deployment and client, ${WARMUP} warm-up calls, the fault on one pod, then ${CALLS} back-to-back calls; ` +
      `latency of every call after the fault; failed calls per trial; the slowest call. Own client: a GET on a fresh connection with a ${OWN_TIMEOUT_MS} ms timeout. Ratio of p99s to the first row of each fault.`,
    rows,
    verdicts,
    ratioOf: 'p99',
  };
}

/** ns per awaited call of `fn`, in batches. */
async function measureAsync(
  fn: () => Promise<unknown>,
  samples = 100,
  iterations = 2_000,
): Promise<number[]> {
  for (let i = 0; i < iterations * 3; i++) await fn();
  const samplesNs: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) await fn();
    samplesNs.push(Number(process.hrtime.bigint() - start) / iterations);
  }
  return samplesNs;
}

async function facadeCost(cluster: MockCluster): Promise<Section> {
  const rows: Row[] = [];
  for (const replicas of [3, 30]) {
    const app = `facade-${replicas}`;
    await deployApp(cluster, app, { replicas });
    initResolver({ kubeConfig: cluster.kubeConfig, env: {} });
    try {
      const handle = await kubeService(app, { env: {} });
      await waitFor(`${replicas} pods`, () => handle.availablePods.length === replicas, {
        timeoutMs: 60_000,
      });
      const svc = handle.service;
      const pick = `pick(), ${replicas} pods`;
      rows.push({ name: pick, measurement: measure(() => svc.pick(), 100, 20_000) });
      rows.push({
        name: `handle.endpoint, ${replicas} pods`,
        measurement: measure(() => handle.endpoint, 100, 20_000),
        baseline: pick,
      });
      rows.push({
        name: `await kubeService(), ${replicas} pods`,
        measurement: latencies(await measureAsync(() => kubeService(app, { env: {} }))),
        baseline: pick,
        note: 'an awaited call: includes a microtask turn',
      });
    } finally {
      await closeResolver();
      cluster.delete('deployment', app);
      cluster.delete('service', app);
    }
  }
  const median = (name: string) => stats(rows.find((r) => r.name === name)!.measurement.samplesNs).medianNs;
  return {
    heading: 'The compat facade warm, against pick()',
    text: 'A warm resolver, real fake pods; 100 batches. Before: kubeService() 0.036 ms with 3 pods, 0.185 ms with 30 (the peer 0.035 and 0.039).',
    rows,
    verdicts: [
      `await kubeService(): ${(median('await kubeService(), 3 pods') / 1000).toFixed(2)} µs with 3 pods, ${(median('await kubeService(), 30 pods') / 1000).toFixed(2)} µs with 30: the handle is cached per service and options, and the active endpoint is checked by id.`,
    ],
  };
}

async function blackHoled(cluster: MockCluster): Promise<Section> {
  const app = 'black-holed';
  await deployApp(cluster, app, { replicas: 2 });
  const fallback = await startHttpServer((_req, res) => res.end('fallback'));
  const firstAnswerNs: number[] = [];
  const backNs: number[] = [];
  let proxy: ApiProxy | undefined;
  try {
    for (let t = 0; t < TRIALS; t++) {
      proxy = await startApiProxy(cluster.url, { blackHoled: true });
      const ks = createKubeSmart({ kubeConfig: proxy.kubeConfigFor(cluster.kubeConfig), watch: FAST_WATCH });
      try {
        const svc = ks.service(app, { fallback: { host: fallback.host, port: fallback.port } });
        let start = process.hrtime.bigint();
        await (await svc.fetch('/')).arrayBuffer();
        firstAnswerNs.push(Number(process.hrtime.bigint() - start));
        start = process.hrtime.bigint();
        proxy.restore();
        await waitFor('the real pods', () => svc.status().source !== 'fallback', { intervalMs: 1 });
        backNs.push(Number(process.hrtime.bigint() - start));
      } finally {
        await ks.close();
        await proxy.close();
      }
    }
  } finally {
    await fallback.close();
    cluster.delete('deployment', app);
    cluster.delete('service', app);
  }
  const ms = (values: number[]) => values.map((v) => `${(v / 1e6).toFixed(0)} ms`).join(', ');
  return {
    heading: 'A black-holed API server, with a fallback',
    text: `The API server behind a relay that accepts connections and never answers, then comes back (held connections reset). ${TRIALS} trials. Before: the first resolve waited 30 s.`,
    rows: [
      { name: 'first fetch() answered (by the fallback)', measurement: latencies(firstAnswerNs) },
      { name: 'API back: fallback gives way to the pods', measurement: latencies(backNs) },
    ],
    verdicts: [
      `first answer after ${ms(firstAnswerNs)}: \`fallbackAfterMs\` (default 2000) instead of \`readyTimeoutMs\` (30000), which still bounds ready() without a fallback.`,
      `real pods again ${ms(backNs)} after the API came back: the next list after the reset connection (watch backoff from 20 ms here).`,
    ],
  };
}

export async function callerFaultsBench(): Promise<Section[]> {
  const [oneSecond, thirtySeconds] = await Promise.all([
    createMockCluster(),
    createMockCluster({ probeIntervalMs: 30_000 }),
  ]);
  try {
    return [
      await faultTable(oneSecond, thirtySeconds),
      await facadeCost(oneSecond),
      await blackHoled(oneSecond),
    ];
  } finally {
    await Promise.all([oneSecond.close(), thirtySeconds.close()]);
  }
}
