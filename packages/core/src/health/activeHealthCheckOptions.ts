import { systemClock } from '../clock.js';
import type { HealthStatus } from '../endpoints/endpointState.js';
import { noopLogger } from '../logger.js';
import type { Clock, Endpoint, Logger, Random } from '../types.js';
import type { HealthProbe } from './probes.js';

/** Options, defaults, events and status of the `ActiveHealthChecker`. */

export interface ActiveHealthCheckOptions {
  /**
   * Kind of probe: a TCP connect (kubeSmartService's check) or an HTTP GET.
   * @default 'tcp'
   */
  type?: 'tcp' | 'http';
  /**
   * HTTP path, for `type: 'http'`.
   * @default '/healthz'
   */
  path?: string;
  /**
   * HTTP status that passes, for `type: 'http'`: one code or an inclusive `[from, to]` range.
   * @default [200, 399]
   */
  expectedStatus?: number | readonly [from: number, to: number];
  /** Port to probe instead of each endpoint's own (a separate health port). */
  port?: number;
  /** A custom probe; replaces `type`, `path`, `expectedStatus` and `port`. */
  probe?: HealthProbe;
  /**
   * Time between two probes of an endpoint, in ms. Short by default so a killed pod is found in
   * well under a second (a refused connection is conclusive), while the cluster may list it for up
   * to its readiness period: 2 TCP connects a second per endpoint.
   * @default 500
   */
  intervalMs?: number;
  /**
   * Random extra delay added to each interval, as a fraction of `intervalMs`, so probes of many
   * endpoints and clients spread out.
   * @default 0.1
   */
  jitterRatio?: number;
  /**
   * Time a probe may take, in ms (kubeSmartService's `healthTimeout`).
   * @default 1500
   */
  timeoutMs?: number;
  /**
   * Consecutive passing probes that bring an unhealthy endpoint back.
   * @default 2
   */
  healthyThreshold?: number;
  /**
   * Consecutive failing probes that mark a healthy endpoint unhealthy. A refused or unreachable
   * connection marks it unhealthy at the first.
   * @default 2
   */
  unhealthyThreshold?: number;
  /**
   * Extra attempts of the first probe of a new endpoint before it is marked unhealthy (kubeSmartService's
   * `retries`); its first success marks it healthy at once.
   * @default 2
   */
  initialRetries?: number;
  /**
   * Base delay of the exponential backoff between first-probe attempts, in ms (kubeSmartService's
   * `backoffBase`): base, then 2 x base, 4 x base...
   * @default 200
   */
  backoffBaseMs?: number;
  /**
   * Hold one idle TCP connection to each healthy endpoint and probe the endpoint the moment it
   * closes that connection: a killed pod's process closes its connections, so it is found within
   * milliseconds instead of at the next interval (as gRPC clients do with their connections' state).
   * @default true
   */
  watchConnections?: boolean;
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** @default noopLogger */
  logger?: Logger;
}

export type HealthCheckSettings = Required<Omit<ActiveHealthCheckOptions, 'probe' | 'port'>>;

export const HEALTH_CHECK_DEFAULTS: Readonly<HealthCheckSettings> = Object.freeze({
  type: 'tcp',
  path: '/healthz',
  expectedStatus: [200, 399] as const,
  intervalMs: 500,
  jitterRatio: 0.1,
  timeoutMs: 1_500,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  initialRetries: 2,
  backoffBaseMs: 200,
  watchConnections: true,
  clock: systemClock,
  random: Math.random,
  logger: noopLogger,
});

/** Emitted when active checks change an endpoint's health. */
export interface HealthEvent {
  readonly endpoint: Endpoint;
  readonly status: HealthStatus;
  readonly previous: HealthStatus;
  /** Why the last probe failed, when it did. */
  readonly reason: string | undefined;
}

export type ActiveHealthEvents = { health: [HealthEvent] };

/** Per-endpoint view for `status()`. */
export interface HealthCheckStatus {
  readonly endpoint: Endpoint;
  readonly status: HealthStatus;
  readonly probes: number;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  readonly lastReason: string | undefined;
  /** Duration of the last passing probe, in ms (kubeSmartService's connect latency). */
  readonly lastLatencyMs: number | undefined;
}
