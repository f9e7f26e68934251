/**
 * `pnpm demo`: an emulated cluster running the shop, the mesh gateway in front of it, traffic, and
 * faults (a killed, a hung and a slow pod, a scale-up) to watch the gateway route around. With
 * `--kubeconfig FILE` (or KUBECONFIG) it runs the gateway against a real cluster instead. In a
 * terminal it shows a live view and keeps running until Ctrl+C; with `--ci` or without a terminal it
 * prints plain lines and ends with a summary whose last line is one JSON object.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadKubeConfig } from '@kubesmart/core';
import { sleep, systemClock } from '@kubesmart/core/building-blocks';
import {
  createGateway,
  DEFAULT_GATEWAY_CONFIG,
  type Gateway,
  type GatewayConfig,
  GatewayConfigError,
  loadGatewayConfig,
} from '@kubesmart/gateway';
import { type DemoCluster, SHOP_NAMESPACE, startDemoCluster } from './demoCluster.js';
import { FaultWatcher } from './faultWatcher.js';
import { KubeProxy } from './kubeProxy.js';
import { OutcomeLog } from './outcomeLog.js';
import { demoScenario, type ScenarioContext, type ScenarioStep } from './scenario.js';
import { buildSummary, type Comparison, summaryLines } from './summary.js';
import {
  clearScreen,
  eventLine,
  hideCursor,
  renderFrame,
  serviceLine,
  showCursor,
  totalsLine,
} from './terminalView.js';
import { TrafficDriver } from './trafficDriver.js';

const USAGE = `Usage: pnpm demo [options]

Starts an emulated Kubernetes cluster with the sample shop (catalog, cart, order: 3 pods each), the
mesh gateway in front of it, and traffic; then kills, hangs and slows pods and scales a Deployment
while you watch the gateway route around each. Ends with a summary.

Options:
  --ci                 plain output, a fixed short run, exit with the summary (default without a terminal)
  --kubeconfig FILE    run the gateway against a real cluster instead (KUBECONFIG alone does not:
                       pass --kubeconfig "$KUBECONFIG"); apply apps/gateway/deploy/shop.yaml there first
  --port N             gateway port (default 8080 in a terminal, falling back to a free one; a free one with --ci)
  --config FILE        gateway configuration (default apps/gateway/config/gateway.yaml)
  --speed X            multiply every step's duration (default 1 with --ci, 2 in a terminal)
  -h, --help           show this help
`;

const run = promisify(execFile);

interface Output {
  readonly interactive: boolean;
  readonly started: number;
  line(text: string): void;
}

function output(interactive: boolean): Output {
  const started = performance.now();
  return {
    interactive,
    started,
    line(text) {
      const t = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
      process.stdout.write(interactive ? `${text}\n` : `[${t}s] ${text}\n`);
    },
  };
}

/** Waits `ms`, or less when `signal` aborts (the run is stopping): never rejects. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return sleep(systemClock, ms, signal).catch(() => undefined);
}

/** Where an emulated demo writes its kubeconfig: one file per gateway port, so two demos keep theirs. */
const DEMO_DIR = resolve(process.env.INIT_CWD ?? process.cwd(), '.kube-demo');
const demoKubeconfigPath = (port: number): string => join(DEMO_DIR, `kubeconfig-${port}`);
const isDemoKubeconfig = (file: string): boolean => /(^|[/\\])\.kube-demo[/\\]/.test(resolve(file));

async function startGateway(
  config: GatewayConfig,
  kubeConfig: Parameters<typeof createGateway>[0]['kubeConfig'],
  port: number,
  out: Output,
): Promise<Gateway> {
  try {
    return await createGateway({ config, kubeConfig, listen: { port } });
  } catch (error) {
    if ((error as { code?: string }).code !== 'EADDRINUSE' || port === 0) throw error;
    const gateway = await createGateway({ config, kubeConfig, listen: { port: 0 } });
    out.line(
      `port ${port} is taken (another demo?): this gateway took port ${new URL(gateway.url).port} instead`,
    );
    return gateway;
  }
}

/** Options as `parseArgs` reads them; a mistake is a usage error (exit 2) with our own message. */
function readArgs(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        ci: { type: 'boolean' },
        kubeconfig: { type: 'string' },
        port: { type: 'string' },
        config: { type: 'string' },
        speed: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    if (!String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    const message = (error as Error).message.split('. ')[0]?.replace(/^Unknown option/, 'unknown option');
    throw new UsageError(message ?? 'the options are not valid');
  }
}

class UsageError extends Error {}

/** Waits until every route has `count` endpoints serving (or the time is up). */
async function waitForServing(
  gateway: Gateway,
  count: (route: string) => number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const views = Object.values(gateway.status().services);
    if (views.every((v) => v.available >= count(v.name))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

async function kubectlCheck(kubeconfig: string, out: Output): Promise<void> {
  try {
    const { stdout } = await run(
      'kubectl',
      ['--kubeconfig', kubeconfig, '-n', SHOP_NAMESPACE, 'get', 'deployments,pods', '-o', 'wide'],
      {
        timeout: 20_000,
        env: { ...process.env, HOME: join(tmpdir(), 'kubesmart-demo-home') },
      },
    );
    out.line(`$ kubectl -n ${SHOP_NAMESPACE} get deployments,pods -o wide`);
    for (const line of stdout.trimEnd().split('\n')) process.stdout.write(`  ${line}\n`);
  } catch (error) {
    out.line(`(kubectl could not be run here: ${(error as Error).message.split('\n')[0]})`);
  }
}

interface Runner {
  readonly gateway: Gateway;
  readonly traffic: TrafficDriver;
  /** The same traffic without the mesh, when the demo runs one. */
  readonly direct?: { readonly traffic: TrafficDriver; readonly mesh: OutcomeLog; readonly log: OutcomeLog };
  readonly watcher: FaultWatcher;
  readonly out: Output;
  readonly header: string;
  readonly footer: readonly string[];
  readonly stop: AbortSignal;
}

/** Runs the steps while traffic flows, drawing the live view (terminal) or printing lines (CI). */
async function runSteps(
  r: Runner,
  steps: readonly ScenarioStep[],
  ctx: ScenarioContext | undefined,
  speed: number,
): Promise<void> {
  const total = steps.reduce((n, s) => n + s.seconds * speed, 0);
  let before = 0;
  let lastPrint = 0;
  for (const [index, step] of steps.entries()) {
    if (r.stop.aborted) break;
    const what = ctx === undefined ? '' : await step.run(ctx);
    ctx?.recent.clear();
    r.gateway.annotate({
      step: { index, count: steps.length, title: step.title, explain: step.explain },
      faults: ctx === undefined ? {} : faultLabels(ctx),
    });
    if (!r.out.interactive) {
      r.out.line(`step ${index + 1}/${steps.length}: ${step.title}${what ? ` -> ${what}` : ''}`);
      for (const line of step.explain.split('\n')) process.stdout.write(`         ${line}\n`);
    }
    const stepStart = performance.now();
    const stepMs = step.seconds * speed * 1000;
    while (!r.stop.aborted && performance.now() - stepStart < stepMs) {
      const elapsed = before + (performance.now() - stepStart) / 1000;
      if (r.out.interactive) {
        process.stdout.write(
          renderFrame(
            {
              header: r.header,
              stepIndex: index,
              steps: steps.length,
              stepTitle: step.title,
              stepExplain: step.explain,
              progress: total === 0 ? 1 : elapsed / total,
              elapsedSeconds: (performance.now() - r.out.started) / 1000,
              status: r.gateway.status(),
              traffic: r.traffic.totals,
              footer: r.footer,
            },
            process.stdout.hasColors?.() ?? false,
          ),
        );
      } else if (performance.now() - lastPrint >= 3000) {
        lastPrint = performance.now();
        const status = r.gateway.status();
        r.out.line(`${Math.round((elapsed / total) * 100)}% ${totalsLine(status, r.traffic.totals)}`);
        for (const s of Object.values(status.services)) {
          const pods = s.endpoints.map((e) => `${e.pod.split('-').pop()}:${e.state}/${e.circuit}`).join(' ');
          process.stdout.write(`         ${serviceLine(s)}  [${pods}]\n`);
        }
      }
      await pause(r.out.interactive ? 200 : 100, r.stop);
    }
    before += step.seconds * speed;
  }
}

const FAULT_LABELS = { kill: 'killed', hang: 'hung', slow: 'slowed' } as const;

/** Each faulted pod's fault, for the dashboard: hung and slowed ones until the recovery restores them. */
function faultLabels(ctx: ScenarioContext): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const f of ctx.watcher.faults) {
    if (f.kind === 'scale') continue;
    if (f.kind !== 'kill' && ctx.undo.length === 0) continue;
    labels[f.target] = FAULT_LABELS[f.kind];
  }
  return labels;
}

/** Stops traffic and prints the summary; its JSON object is the last line of output. */
async function finish(
  r: Runner,
  mode: 'emulated' | 'cluster',
  faults: FaultWatcher['faults'],
  beforeSummary?: () => Promise<void>,
): Promise<void> {
  const end = performance.now();
  await Promise.all([r.traffic.stop(), r.direct?.traffic.stop()]);
  r.watcher.stop();
  const seconds = (performance.now() - r.out.started) / 1000;
  const status = r.gateway.status();
  if (r.out.interactive) process.stdout.write(`${clearScreen}${showCursor}`);
  await beforeSummary?.();
  const comparison: Comparison | undefined = r.direct && {
    mesh: r.direct.mesh,
    direct: r.direct.log,
    directTotals: r.direct.traffic.totals,
    end,
  };
  const summary = buildSummary(mode, seconds, r.traffic.totals, status, faults, comparison);
  const lines = summaryLines(summary, r.traffic.totals.failures);
  for (const line of lines) process.stdout.write(`${line}\n`);
  // The dashboard keeps the last numbers, and shows the summary beside them.
  const last = r.gateway.status().scenario?.step;
  r.gateway.annotate({ ...(last ? { step: last } : {}), faults: {}, finished: true, summary: lines });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

async function waitForCtrlC(out: Output, stop: AbortSignal, lines: readonly string[]): Promise<void> {
  if (!out.interactive || stop.aborted) return;
  process.stdout.write(
    `\n${lines.join('\n')}\nThe cluster and the gateway keep running: press Ctrl+C to stop.\n`,
  );
  await new Promise<void>((done) => stop.addEventListener('abort', () => done(), { once: true }));
}

async function main(argv: string[]): Promise<number> {
  const values = readArgs(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const interactive = values.ci !== true && process.stdout.isTTY === true;
  const out = output(interactive);
  const speed = Number(values.speed ?? (interactive ? 2 : 1));
  if (!(speed > 0)) throw new UsageError(`--speed must be a positive number, got ${values.speed}`);
  const port = Number(values.port ?? (interactive ? 8080 : 0));
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  const config = await loadGatewayConfig(values.config ?? DEFAULT_GATEWAY_CONFIG);
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (values.kubeconfig !== undefined) {
      if (isDemoKubeconfig(values.kubeconfig) && !existsSync(values.kubeconfig)) {
        throw new UsageError(
          `${values.kubeconfig} belonged to an earlier demo's emulated cluster, which has stopped; run pnpm demo without --kubeconfig for a new one`,
        );
      }
      return await onRealCluster(values.kubeconfig, config, port, out, controller.signal, speed);
    }
    const fromEnv = process.env.KUBECONFIG;
    if (fromEnv) {
      out.line(
        isDemoKubeconfig(fromEnv)
          ? `KUBECONFIG (${fromEnv}) is an earlier demo's emulated cluster${existsSync(fromEnv) ? '' : ', which has stopped'}: starting a new one (unset KUBECONFIG to stop seeing this)`
          : `KUBECONFIG is set (${fromEnv}): the demo still runs on an emulated cluster; pass --kubeconfig "$KUBECONFIG" to run the gateway against that cluster`,
      );
    }
    return await onEmulator(config, port, out, controller.signal, speed);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function onEmulator(
  config: GatewayConfig,
  port: number,
  out: Output,
  stop: AbortSignal,
  speed: number,
): Promise<number> {
  out.line(
    'starting an emulated Kubernetes cluster (@kubesmart/mock) with the shop: catalog, cart, order x 3 pods',
  );
  let demo: DemoCluster | undefined;
  let gateway: Gateway | undefined;
  let traffic: TrafficDriver | undefined;
  let direct: TrafficDriver | undefined;
  let kubeProxy: KubeProxy | undefined;
  let watcher: FaultWatcher | undefined;
  let kubeconfigPath: string | undefined;
  const stopEvents: (() => void)[] = [];
  try {
    // Readiness as kubelet times it, from the manifests' probes: the cluster alone takes seconds.
    demo = await startDemoCluster({ probeTiming: 'kubelet' });
    for (const app of ['catalog', 'cart', 'order']) await demo.waitForReady(app, 3);
    gateway = await startGateway(config, demo.cluster.kubeConfig, port, out);
    kubeconfigPath = demoKubeconfigPath(Number(new URL(gateway.url).port));
    await mkdir(DEMO_DIR, { recursive: true });
    await demo.cluster.writeKubeconfig(kubeconfigPath, { namespace: SHOP_NAMESPACE });
    await gateway.ready({ timeoutMs: 20_000 });
    await waitForServing(gateway, () => 3, 20_000);
    const dashboard = `${gateway.url}/mesh/`;
    const info = [
      `gateway    ${gateway.url}   (try: curl ${gateway.url}/catalog/products -i)`,
      `dashboard  ${dashboard}`,
      `kubectl    export KUBECONFIG=${kubeconfigPath}; kubectl get pods -w   (namespace ${SHOP_NAMESPACE}; also: kubectl get endpointslices -w)`,
    ];
    for (const line of info) out.line(line);
    watcher = new FaultWatcher(gateway);
    watcher.start();
    const answers = new Map<string, number>();
    const recent = new Map<string, number>();
    // Set once the comparison's balancer runs (below), before the first fault.
    let proxy: KubeProxy | undefined;
    const ctx: ScenarioContext = {
      demo,
      watcher,
      answers,
      recent,
      connections: (app, pod) => proxy?.connections(app, pod) ?? 0,
      undo: [],
    };
    const meshLog = new OutcomeLog();
    const directLog = new OutcomeLog();
    traffic = new TrafficDriver({
      url: gateway.url,
      rate: out.interactive ? 40 : 60,
      onOutcome: (o) => {
        meshLog.record(o);
        if (o.pod === undefined) return;
        const key = `${o.path.split('/')[1]}/${o.pod}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
        recent.set(key, (recent.get(key) ?? 0) + 1);
      },
    });
    // The comparison: the same request mix, at half the rate, straight to each Service through a
    // kube-proxy-like balancer (one pod per connection, until readiness removes it).
    kubeProxy = new KubeProxy(demo.cluster, SHOP_NAMESPACE);
    proxy = kubeProxy;
    const serviceUrls = await kubeProxy.start(config.routes.map((r) => r.service));
    direct = new TrafficDriver({
      url: gateway.url,
      urls: Object.fromEntries(
        config.routes.map((r) => [r.path.replace(/^\/+/, '').split('/')[0], serviceUrls[r.service]!]),
      ),
      rate: out.interactive ? 20 : 30,
      concurrency: 8,
      clients: 4,
      onOutcome: (o) => directLog.record(o),
    });
    if (!out.interactive)
      stopEvents.push(gateway.events.onEvent((e) => out.line(`  event ${eventLine(e).slice(9)}`)));
    else process.stdout.write(`${clearScreen}${hideCursor}`);
    traffic.start();
    direct.start();
    const runner: Runner = {
      gateway,
      traffic,
      direct: { traffic: direct, mesh: meshLog, log: directLog },
      watcher,
      out,
      header: `kubesmart demo · emulated cluster · gateway ${gateway.url}`,
      footer: info,
      stop,
    };
    try {
      await runSteps(runner, demoScenario(), ctx, speed);
    } finally {
      for (const undo of ctx.undo.splice(0)) await undo();
    }
    for (const s of stopEvents.splice(0)) s();
    const written = kubeconfigPath;
    await finish(
      runner,
      'emulated',
      watcher.faults,
      out.interactive ? undefined : () => kubectlCheck(written, out),
    );
    await waitForCtrlC(out, stop, info);
    return 0;
  } finally {
    for (const s of stopEvents) s();
    if (out.interactive) process.stdout.write(showCursor);
    watcher?.stop();
    await traffic?.stop();
    await direct?.stop();
    await kubeProxy?.close();
    await gateway?.close();
    await demo?.close();
    // The cluster is gone: so is its kubeconfig, and a later run can tell that an exported one is stale.
    if (kubeconfigPath !== undefined) await rm(kubeconfigPath, { force: true });
  }
}

async function onRealCluster(
  kubeconfig: string,
  config: GatewayConfig,
  port: number,
  out: Output,
  stop: AbortSignal,
  speed: number,
): Promise<number> {
  out.line(`running the gateway against the cluster of ${kubeconfig} (namespace ${config.namespace})`);
  const gateway = await startGateway(config, loadKubeConfig({ path: kubeconfig }), port, out);
  let traffic: TrafficDriver | undefined;
  const watcher = new FaultWatcher(gateway);
  try {
    try {
      await gateway.ready({ timeoutMs: 20_000 });
    } catch (error) {
      if ((error as { code?: string }).code === 'KUBE_API_UNAVAILABLE') {
        out.line(
          `the API server of ${kubeconfig} cannot be reached: ${(error as Error).message}\n` +
            'Start that cluster (or fix the kubeconfig), or run pnpm demo without --kubeconfig for an emulated one.',
        );
        return 1;
      }
      out.line(
        `the Services of ${config.routes.map((r) => r.service).join(', ')} cannot be resolved in namespace ${config.namespace}: ${(error as Error).message}\n` +
          'Deploy the shop first: kubectl apply -f apps/gateway/deploy/shop.yaml',
      );
      return 1;
    }
    const info = [`gateway    ${gateway.url}`, `dashboard  ${gateway.url}/mesh/`];
    for (const line of info) out.line(line);
    traffic = new TrafficDriver({ url: gateway.url, rate: 20 });
    traffic.start();
    if (out.interactive) process.stdout.write(`${clearScreen}${hideCursor}`);
    const watching: ScenarioStep = {
      title: 'routing live traffic',
      explain: 'No faults are injected in a real cluster: delete or break a pod yourself and watch.',
      seconds: out.interactive ? 3600 : 15,
      run: async () => '',
    };
    const runner: Runner = {
      gateway,
      traffic,
      watcher,
      out,
      header: `kubesmart demo · ${kubeconfig} · gateway ${gateway.url}`,
      footer: info,
      stop,
    };
    await runSteps(runner, [watching], undefined, out.interactive ? 1 : speed);
    await finish(runner, 'cluster', []);
    return 0;
  } finally {
    if (out.interactive) process.stdout.write(showCursor);
    await traffic?.stop();
    await gateway.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stdout.write(showCursorIfTty());
    if (error instanceof UsageError) {
      process.stderr.write(`demo: ${error.message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `demo: ${error instanceof GatewayConfigError ? error.message : ((error as Error).stack ?? String(error))}\n`,
    );
    process.exitCode = 1;
  },
);

function showCursorIfTty(): string {
  return process.stdout.isTTY ? showCursor : '';
}
