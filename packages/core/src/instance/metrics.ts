import type { Logger } from '../types.js';
import type { KubeSmartStatus } from './kubeSmartStatus.js';

/** The part of a prom-client `Gauge`/`Counter` used here. */
export interface PromMetricLike {
  reset(): void;
}

/** The config prom-client metric constructors take, as used here. */
export interface PromMetricConfig {
  name: string;
  help: string;
  labelNames: readonly string[];
  /** The registry given in `MetricsOptions` (typed loosely so prom-client's own types fit). */
  registers: never[];
  collect: () => void;
}

/** The part of the prom-client module used here (pass `import * as client from 'prom-client'`). */
export interface PromClientLike {
  Gauge: new (
    config: PromMetricConfig,
  ) => PromMetricLike & {
    set(labels: Record<string, string>, value: number): void;
  };
  Counter: new (
    config: PromMetricConfig,
  ) => PromMetricLike & {
    inc(labels: Record<string, string>, value: number): void;
  };
}

/** The part of a prom-client `Registry` used here. */
export interface PromRegistryLike {
  removeSingleMetric(name: string): void;
}

/** Prometheus metrics of a KubeSmart, read from `status()` at each scrape. */
export interface MetricsOptions {
  /** The prom-client `Registry` to register with (`client.register` for the default one). */
  registry: PromRegistryLike;
  /**
   * The prom-client module. Without it, `prom-client` is imported when the KubeSmart starts.
   * @default await import('prom-client')
   */
  client?: PromClientLike;
  /**
   * Prefix of every metric name.
   * @default 'kubesmart_'
   */
  prefix?: string;
}

type Labels = Record<string, string>;
type Sample = readonly [labels: Labels, value: number];

interface Definition {
  readonly name: string;
  readonly help: string;
  readonly counter: boolean;
  readonly labelNames: readonly string[];
  readonly samples: (status: KubeSmartStatus) => Sample[];
}

const SERVICE = ['namespace', 'service'] as const;
const ENDPOINT = [...SERVICE, 'endpoint', 'pod'] as const;

const perService = (
  status: KubeSmartStatus,
  value: (s: KubeSmartStatus['services'][number]) => number,
): Sample[] =>
  status.services.map((s) => [{ namespace: s.namespace, service: s.service }, value(s)] as const);

const perEndpoint = (
  status: KubeSmartStatus,
  value: (e: KubeSmartStatus['services'][number]['endpoints'][number]) => number,
): Sample[] =>
  status.services.flatMap((s) =>
    s.endpoints.map(
      (e) =>
        [
          { namespace: s.namespace, service: s.service, endpoint: e.endpoint.id, pod: e.endpoint.pod ?? '' },
          value(e),
        ] as const,
    ),
  );

const DEFINITIONS: readonly Definition[] = [
  {
    name: 'endpoints',
    help: 'Endpoints known per service.',
    counter: false,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.endpointCount),
  },
  {
    name: 'endpoints_available',
    help: 'Endpoints that can take requests now.',
    counter: false,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.available),
  },
  {
    name: 'endpoints_ejected',
    help: 'Endpoints ejected by outlier detection now.',
    counter: false,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.ejected),
  },
  {
    name: 'circuits_open',
    help: 'Endpoints whose circuit breaker is open.',
    counter: false,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.breakers.open),
  },
  {
    name: 'discovery_stale',
    help: '1 when the endpoints may lag the cluster (API lost or fallback in force).',
    counter: false,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => (s.stale ? 1 : 0)),
  },
  {
    name: 'calls_total',
    help: 'Calls (call() and fetch()) started.',
    counter: true,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.calls.calls),
  },
  {
    name: 'calls_failed_total',
    help: 'Calls that failed after every attempt.',
    counter: true,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.calls.failed),
  },
  {
    name: 'failovers_total',
    help: 'Attempts retried on another endpoint.',
    counter: true,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.calls.failovers),
  },
  {
    name: 'retry_budget_exhausted_total',
    help: 'Retries refused by the retry budget.',
    counter: true,
    labelNames: SERVICE,
    samples: (st) => perService(st, (s) => s.calls.budgetExhausted),
  },
  {
    name: 'endpoint_inflight',
    help: 'Requests in flight per endpoint.',
    counter: false,
    labelNames: ENDPOINT,
    samples: (st) => perEndpoint(st, (e) => e.inflight),
  },
  {
    name: 'endpoint_latency_seconds',
    help: 'Peak-EWMA latency estimate per endpoint.',
    counter: false,
    labelNames: ENDPOINT,
    samples: (st) => perEndpoint(st, (e) => e.latencyMs / 1000),
  },
  {
    name: 'endpoint_requests_total',
    help: 'Attempts sent per endpoint.',
    counter: true,
    labelNames: ENDPOINT,
    samples: (st) => perEndpoint(st, (e) => e.requests),
  },
  {
    name: 'endpoint_failures_total',
    help: 'Failed attempts per endpoint.',
    counter: true,
    labelNames: ENDPOINT,
    samples: (st) => perEndpoint(st, (e) => e.failures),
  },
  {
    name: 'watch_reconnects_total',
    help: 'Reconnects of each shared watch cache.',
    counter: true,
    labelNames: ['scope'],
    samples: (st) => Object.entries(st.watches).map(([scope, w]) => [{ scope }, w.reconnects] as const),
  },
  {
    name: 'watch_relists_total',
    help: 'Relists after an expired resourceVersion (410).',
    counter: true,
    labelNames: ['scope'],
    samples: (st) => Object.entries(st.watches).map(([scope, w]) => [{ scope }, w.relists] as const),
  },
  {
    name: 'watch_events_total',
    help: 'Watch events received, bookmarks included.',
    counter: true,
    labelNames: ['scope'],
    samples: (st) => Object.entries(st.watches).map(([scope, w]) => [{ scope }, w.events] as const),
  },
];

/**
 * Registers the KubeSmart metrics with `options.registry`, through the prom-client module given.
 * Values are read from `status()` at scrape time, so nothing is counted twice and nothing runs
 * between scrapes. Returns a function that unregisters them.
 */
export function registerMetrics(
  client: PromClientLike,
  options: MetricsOptions,
  status: () => KubeSmartStatus,
  logger: Logger,
): () => void {
  const prefix = options.prefix ?? 'kubesmart_';
  const registered: string[] = [];
  // One status() per scrape: a scrape collects every metric within one turn of the event loop.
  let cached: KubeSmartStatus | undefined;
  const snapshot = (): KubeSmartStatus => {
    if (cached === undefined) {
      cached = status();
      setImmediate(() => {
        cached = undefined;
      });
    }
    return cached;
  };
  for (const def of DEFINITIONS) {
    const name = `${prefix}${def.name}`;
    try {
      if (def.counter) {
        const metric: InstanceType<PromClientLike['Counter']> = new client.Counter({
          name,
          help: def.help,
          labelNames: def.labelNames,
          registers: [options.registry as never],
          collect: () => {
            metric.reset();
            for (const [labels, value] of def.samples(snapshot())) metric.inc(labels, value);
          },
        });
      } else {
        const metric: InstanceType<PromClientLike['Gauge']> = new client.Gauge({
          name,
          help: def.help,
          labelNames: def.labelNames,
          registers: [options.registry as never],
          collect: () => {
            metric.reset();
            for (const [labels, value] of def.samples(snapshot())) metric.set(labels, value);
          },
        });
      }
      registered.push(name);
    } catch (error) {
      logger.warn(
        { err: error, metric: name },
        `metric ${name} was not registered; set another \`metrics.prefix\``,
      );
    }
  }
  return () => {
    for (const name of registered) options.registry.removeSingleMetric(name);
  };
}
