import { type StatsSnapshot, WindowedStats } from './windowedStats.js';

/** One request as the gateway saw it. */
export interface RequestRecord {
  readonly route: string;
  /** Pod (or endpoint id) that gave the answer; undefined when none did. */
  readonly pod: string | undefined;
  readonly status: number;
  readonly latencyMs: number;
  /** Attempts made: 1 without retries. */
  readonly attempts: number;
  /** A gateway or upstream failure the client saw (5xx or no answer); 4xx are the client's own. */
  readonly failed: boolean;
}

export interface RouteMetrics extends StatsSnapshot {
  /** Requests answered after at least one retry on another pod. */
  readonly retried: number;
  /** Attempts retried (all requests). */
  readonly retries: number;
  readonly statuses: Readonly<Record<'2xx' | '3xx' | '4xx' | '5xx', number>>;
  readonly pods: Readonly<Record<string, StatsSnapshot>>;
}

interface RouteState {
  readonly stats: WindowedStats;
  readonly pods: Map<string, WindowedStats>;
  retried: number;
  retries: number;
  statuses: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
}

const FORGET_POD_AFTER_MS = 5 * 60_000;

const statusClass = (status: number): '2xx' | '3xx' | '4xx' | '5xx' =>
  status >= 500 ? '5xx' : status >= 400 ? '4xx' : status >= 300 ? '3xx' : '2xx';

/**
 * The gateway's own observations per route and per pod: request rates, errors and p50/p99 latency
 * over the last seconds, and totals. Independent of what the mesh engine reports.
 */
export class MetricsRecorder {
  readonly #routes = new Map<string, RouteState>();
  readonly #now: () => number;
  readonly #windowSeconds: number;

  constructor(options: { now?: () => number; windowSeconds?: number } = {}) {
    this.#now = options.now ?? (() => performance.now());
    this.#windowSeconds = options.windowSeconds ?? 5;
  }

  record(r: RequestRecord): void {
    const now = this.#now();
    const state = this.#route(r.route);
    state.stats.record(r.latencyMs, !r.failed, now);
    state.statuses[statusClass(r.status)]++;
    if (r.attempts > 1) {
      state.retried++;
      state.retries += r.attempts - 1;
    }
    if (r.pod !== undefined) {
      let pod = state.pods.get(r.pod);
      if (pod === undefined) {
        pod = new WindowedStats(this.#windowSeconds);
        state.pods.set(r.pod, pod);
      }
      pod.record(r.latencyMs, !r.failed, now);
    }
  }

  snapshot(route: string): RouteMetrics {
    const now = this.#now();
    const state = this.#route(route);
    const pods: Record<string, StatsSnapshot> = {};
    for (const [pod, stats] of state.pods) {
      // Pods come and go: forget one that answered nothing for a while.
      if ((stats.lastRecordMs ?? now) < now - FORGET_POD_AFTER_MS) state.pods.delete(pod);
      else pods[pod] = stats.snapshot(now);
    }
    return {
      ...state.stats.snapshot(now),
      retried: state.retried,
      retries: state.retries,
      statuses: { ...state.statuses },
      pods,
    };
  }

  /** Forgets a route's numbers (`POST /mesh/reset/:service`). */
  reset(route: string): void {
    this.#routes.delete(route);
  }

  #route(route: string): RouteState {
    let state = this.#routes.get(route);
    if (state === undefined) {
      state = {
        stats: new WindowedStats(this.#windowSeconds),
        pods: new Map(),
        retried: 0,
        retries: 0,
        statuses: { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0 },
      };
      this.#routes.set(route, state);
    }
    return state;
  }
}
