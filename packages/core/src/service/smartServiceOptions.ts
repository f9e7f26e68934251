import type { Balancer, BalancerName } from '../balancing/balancer.js';
import type { BalancerOptions } from '../balancing/createBalancer.js';
import type { ZonePreferenceOptions } from '../balancing/zonePreference.js';
import type { DiscoverySource } from '../discovery/serviceDiscoveryOptions.js';
import type { ActiveHealthCheckOptions } from '../health/activeHealthCheckOptions.js';
import type { OutlierDetectionOptions } from '../health/outlierDetector.js';
import type { CircuitBreakerOptions } from '../resilience/circuitBreaker.js';
import type { HedgeOptions } from '../resilience/hedging.js';
import type { ReachabilityOptions } from '../resilience/reachablePicker.js';
import type { RetryBudgetOptions } from '../resilience/retryBudget.js';
import { RETRY_DEFAULTS, type RetryPolicyOptions } from '../resilience/retryPolicy.js';

/** Active health checks of a service's endpoints; timers and randomness come from the `KubeSmart`. */
export type HealthOptions = Omit<ActiveHealthCheckOptions, 'clock' | 'random' | 'logger'>;

/** Passive health (outlier detection) from real traffic. */
export type OutlierOptions = Omit<OutlierDetectionOptions, 'clock' | 'logger'>;

/** Per-endpoint circuit breakers. */
export type BreakerOptions = Omit<CircuitBreakerOptions, 'clock' | 'logger'>;

/** How `call()` and `fetch()` retry on another endpoint: core's retry policy plus a retry budget. */
export interface RetryOptions extends RetryPolicyOptions {
  /**
   * Retry budget: retries may be at most this share of the requests (plus a floor per second), so a
   * failing service is not hit by a retry storm. `false` turns the budget off.
   * @default { percent: 20, minRetriesPerSecond: 10, windowMs: 10000 }
   */
  budget?: false | Omit<RetryBudgetOptions, 'clock'>;
}

/** The undici connection pool kept per endpoint by `fetch()`. */
export interface HttpOptions {
  /**
   * Most connections per endpoint.
   * @default 32
   */
  connections?: number;
  /**
   * Idle time after which a keep-alive connection is closed, in ms.
   * @default 4000
   */
  keepAliveTimeoutMs?: number;
  /**
   * Time a TCP connect may take, in ms.
   * @default 5000
   */
  connectTimeoutMs?: number;
}

/** An endpoint to use when the Kubernetes API cannot be reached (or in offline mode). */
export interface FallbackEndpoint {
  host: string;
  port: number;
}

/** Options of one `ks.service(name, options)`. Defaults come from `KubeSmartOptions.defaults`, then these. */
export interface SmartServiceOptions {
  /** @default the KubeSmart's namespace */
  namespace?: string;
  /**
   * Service port, by name (`'http'`) or number (the Service port or a target port).
   * @default the Service's first port
   */
  port?: string | number;
  /**
   * Where endpoints come from: EndpointSlices (falling back to Endpoints), Endpoints, or pods by label.
   * @default 'endpointslices'
   */
  source?: DiscoverySource;
  /**
   * Pods' label selector, for `source: 'pods'`.
   * @default `app=<name>`
   */
  labelSelector?: string;
  /**
   * Share one watch per namespace among all services (`'namespace'`), or watch only this Service's
   * objects (`'service'`, for huge namespaces).
   * @default 'namespace'
   */
  watchScope?: 'namespace' | 'service';
  /**
   * A balancer name, balancer options, or your own `Balancer`.
   * @default 'least-request'
   */
  balancer?: BalancerName | BalancerOptions | Balancer;
  /**
   * Prefer endpoints in this process's `zone`, spilling over when the zone has too few.
   * `true` uses the default thresholds.
   * @default false
   */
  zoneAware?: boolean | Omit<ZonePreferenceOptions, 'zone'>;
  /**
   * This process's zone (`topology.kubernetes.io/zone` of its node), for `zoneAware`.
   * @default the KubeSmart's `zone`
   */
  zone?: string;
  /**
   * Active health checks; `false` turns them off.
   * @default { type: 'tcp', intervalMs: 500, timeoutMs: 1500, initialRetries: 2, backoffBaseMs: 200 }
   */
  health?: false | HealthOptions;
  /**
   * Outlier detection; `false` turns it off.
   * @default { consecutiveFailures: 5, baseEjectionTimeMs: 30000, maxEjectionPercent: 50 }
   */
  outlierDetection?: false | OutlierOptions;
  /**
   * Circuit breakers; `false` turns them off.
   * @default { failureThreshold: 3, openMs: 30000, halfOpenProbes: 1 }
   */
  circuitBreaker?: false | BreakerOptions;
  /** @default RETRY_DEFAULTS (2 retries, 10 s per attempt, backoff 25 to 250 ms, 502/503/504) and the default budget */
  retry?: RetryOptions;
  /**
   * Hedging of idempotent `call()`s and `fetch()`es: a second attempt to another endpoint when the
   * first has not answered after twice the observed p99 latency; the first answer wins, and the
   * slow endpoint is counted as failing (for outlier detection). Hedges have a budget of their own
   * (10% of the calls). `false` turns it off.
   * @default { minDelayMs: 25, initialDelayMs: 500, minSamples: 20, latencyMultiplier: 2, budgetPercent: 10 }
   */
  hedge?: false | HedgeOptions;
  /**
   * The check `pickReachable()` makes: an endpoint not seen reachable within `ttlMs` gets a TCP
   * connect before it is handed out.
   * @default { ttlMs: 250, timeoutMs: 250, maxChecks: 3 }
   */
  reachability?: ReachabilityOptions;
  /**
   * When fewer than this share of endpoints (percent) are available, all of them are used.
   * @default 50
   */
  panicThresholdPercent?: number;
  /**
   * Time constant of each endpoint's peak-EWMA latency estimate, in ms (what `peak-ewma` balances
   * on, and `latencyMs` in `endpoints()`). A slow answer raises the estimate at once; without newer
   * samples it decays by 1/e per this time, so a pod that was slow and recovered is chosen again after
   * about `latencyDecayMs x ln(slow latency / fast latency)`: 46 s for a pod 100x slower at the default,
   * 9 s at 2000. Shorter recovers sooner and reacts more to noise.
   * @default 10000 (Finagle's and Linkerd's)
   */
  latencyDecayMs?: number;
  /**
   * Endpoint used when the Kubernetes API cannot be reached at start (and in offline mode).
   * @default undefined (no fallback: `ready()` rejects)
   */
  fallback?: FallbackEndpoint;
  /** @default { connections: 32, keepAliveTimeoutMs: 4000, connectTimeoutMs: 5000 } */
  http?: HttpOptions;
  /**
   * Time `ready()` waits without a `timeoutMs`, and `call()`/`fetch()` wait for a first discovery.
   * Without a fallback there is nothing else to call, so this waits out a slow first list (a
   * large namespace, a throttled or restarting API server), as long as the client's request timeout.
   * @default 30000
   */
  readyTimeoutMs?: number;
  /**
   * With a `fallback`: time the first discovery may take before the fallback is used, in ms.
   * Discovery keeps trying, and real endpoints replace the fallback as soon as it answers.
   * @default 2000
   */
  fallbackAfterMs?: number;
}

/** Options after defaults: what a `SmartService` runs with. */
export interface ResolvedServiceOptions {
  readonly namespace: string;
  readonly port: string | number | undefined;
  readonly source: DiscoverySource;
  readonly labelSelector: string | undefined;
  readonly watchScope: 'namespace' | 'service';
  readonly balancer: BalancerName | BalancerOptions | Balancer;
  readonly zoneAware: false | Omit<ZonePreferenceOptions, 'zone'>;
  readonly zone: string | undefined;
  readonly health: false | HealthOptions;
  readonly outlierDetection: false | OutlierOptions;
  readonly circuitBreaker: false | BreakerOptions;
  readonly retry: Readonly<Required<Omit<RetryOptions, 'budget'>>> & { budget: RetryOptions['budget'] };
  readonly panicThresholdPercent: number;
  readonly latencyDecayMs: number;
  readonly fallback: FallbackEndpoint | undefined;
  readonly http: Readonly<Required<HttpOptions>>;
  readonly readyTimeoutMs: number;
  readonly hedge: false | HedgeOptions;
  readonly reachability: ReachabilityOptions;
  readonly fallbackAfterMs: number;
}

/** The defaults of every service, merged once under `KubeSmartOptions.defaults` and the call's options. */
export const SMART_SERVICE_DEFAULTS = Object.freeze({
  source: 'endpointslices',
  watchScope: 'namespace',
  balancer: 'least-request',
  health: Object.freeze({ type: 'tcp' }),
  outlierDetection: Object.freeze({}),
  circuitBreaker: Object.freeze({}),
  retry: RETRY_DEFAULTS,
  panicThresholdPercent: 50,
  latencyDecayMs: 10_000,
  http: Object.freeze({ connections: 32, keepAliveTimeoutMs: 4000, connectTimeoutMs: 5000 }),
  readyTimeoutMs: 30_000,
  hedge: Object.freeze({}),
  reachability: Object.freeze({}),
  fallbackAfterMs: 2_000,
} as const satisfies SmartServiceOptions);

const isPlain = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;

/** Merges option layers in order: plain objects shallowly, anything else (false, arrays, balancers) replaces. */
function mergeLayers(layers: readonly (SmartServiceOptions | undefined)[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer ?? {})) {
      if (value === undefined) continue;
      const before = merged[key];
      merged[key] = isPlain(value) && isPlain(before) ? { ...before, ...value } : value;
    }
  }
  return merged;
}

/** Applies {@link SMART_SERVICE_DEFAULTS}, then `defaults`, then `options`; once, when a service is made. */
export function resolveServiceOptions(
  namespace: string,
  defaults: SmartServiceOptions | undefined,
  options: SmartServiceOptions | undefined,
): ResolvedServiceOptions {
  const m = mergeLayers([SMART_SERVICE_DEFAULTS, { namespace }, defaults, options]);
  const zoneAware = m.zoneAware === true ? {} : m.zoneAware === undefined ? false : m.zoneAware;
  return Object.freeze({ ...m, zoneAware }) as unknown as ResolvedServiceOptions;
}
