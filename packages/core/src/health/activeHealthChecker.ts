import { ClosedError } from '../errors.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import {
  type Clock,
  type Endpoint,
  type Logger,
  noopLogger,
  type Random,
  systemClock,
  type TimerHandle,
} from '../types.js';
import type { EndpointState, HealthStatus } from './endpointState.js';
import { createHttpProbe, createTcpProbe, type HealthProbe, type ProbeResult } from './probes.js';

export interface ActiveHealthCheckOptions {
  /**
   * Kind of probe: a TCP connect (the kubeSmartService seed's check) or an HTTP GET.
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
   * Time between two probes of an endpoint, in ms.
   * @default 5000
   */
  intervalMs?: number;
  /**
   * Random extra delay added to each interval, as a fraction of `intervalMs`, so probes of many
   * endpoints and clients spread out.
   * @default 0.1
   */
  jitterRatio?: number;
  /**
   * Time a probe may take, in ms (the seed's `healthTimeout`).
   * @default 1500
   */
  timeoutMs?: number;
  /**
   * Consecutive passing probes that bring an unhealthy endpoint back.
   * @default 2
   */
  healthyThreshold?: number;
  /**
   * Consecutive failing probes that mark a healthy endpoint unhealthy.
   * @default 2
   */
  unhealthyThreshold?: number;
  /**
   * Extra attempts of the first probe of a new endpoint before it is marked unhealthy (the seed's
   * `retries`); its first success marks it healthy at once.
   * @default 2
   */
  initialRetries?: number;
  /**
   * Base delay of the exponential backoff between first-probe attempts, in ms (the seed's
   * `backoffBase`): base, then 2 x base, 4 x base...
   * @default 200
   */
  backoffBaseMs?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** @default noopLogger */
  logger?: Logger;
}

type Settings = Required<Omit<ActiveHealthCheckOptions, 'probe' | 'port'>>;

const DEFAULTS: Readonly<Settings> = Object.freeze({
  type: 'tcp',
  path: '/healthz',
  expectedStatus: [200, 399] as const,
  intervalMs: 5_000,
  jitterRatio: 0.1,
  timeoutMs: 1_500,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  initialRetries: 2,
  backoffBaseMs: 200,
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
}

interface Target {
  readonly state: EndpointState;
  active: boolean;
  initial: boolean;
  attempts: number;
  probes: number;
  successes: number;
  failures: number;
  lastReason: string | undefined;
  timer: TimerHandle | undefined;
  controller: AbortController | undefined;
}

/**
 * Probes endpoints on a timer and writes their health into their {@link EndpointState}. A new
 * endpoint is probed at once, with retries and exponential backoff, then every interval with
 * jitter; healthy/unhealthy thresholds damp flapping. All timers come from the injected clock and
 * `close()` clears every one of them and aborts probes in flight.
 */
export class ActiveHealthChecker extends TypedEmitter<ActiveHealthEvents> {
  readonly #o: Readonly<Settings>;
  readonly #probe: HealthProbe;
  readonly #logger: Logger;
  readonly #targets = new Map<EndpointState, Target>();
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(options?: ActiveHealthCheckOptions) {
    const o = Object.freeze(withDefaults(DEFAULTS, options));
    super(o.logger);
    this.#o = o;
    assertRange('ActiveHealthChecker', 'intervalMs', o.intervalMs, 1);
    assertRange('ActiveHealthChecker', 'jitterRatio', o.jitterRatio, 0, 10);
    assertRange('ActiveHealthChecker', 'timeoutMs', o.timeoutMs, 1);
    assertRange('ActiveHealthChecker', 'healthyThreshold', o.healthyThreshold, 1);
    assertRange('ActiveHealthChecker', 'unhealthyThreshold', o.unhealthyThreshold, 1);
    assertRange('ActiveHealthChecker', 'initialRetries', o.initialRetries, 0);
    assertRange('ActiveHealthChecker', 'backoffBaseMs', o.backoffBaseMs, 0);
    this.#logger = o.logger.child?.({ component: 'health' }) ?? o.logger;
    this.#probe =
      options?.probe ??
      (o.type === 'http'
        ? createHttpProbe({ path: o.path, expectedStatus: o.expectedStatus, ...portOption(options?.port) })
        : createTcpProbe(portOption(options?.port)));
  }

  /** Starts checking `state`; its first probe runs at once. */
  add(state: EndpointState): void {
    if (this.#closed)
      throw new ClosedError('ActiveHealthChecker.add() was called after close(); create a new checker.');
    if (this.#targets.has(state)) return;
    const target: Target = {
      state,
      active: true,
      initial: true,
      attempts: 0,
      probes: 0,
      successes: 0,
      failures: 0,
      lastReason: undefined,
      timer: undefined,
      controller: undefined,
    };
    this.#targets.set(state, target);
    void this.#run(target);
  }

  /** Stops checking `state`, cancelling its timer and any probe in flight. */
  remove(state: EndpointState): void {
    const target = this.#targets.get(state);
    if (target === undefined) return;
    this.#stop(target);
    this.#targets.delete(state);
    this.#settleWaiters();
  }

  /** Checks exactly `states`: adds the new ones, removes the others. */
  sync(states: readonly EndpointState[]): void {
    const wanted = new Set(states);
    for (const state of [...this.#targets.keys()]) if (!wanted.has(state)) this.remove(state);
    for (const state of states) this.add(state);
  }

  /** Resolves once every endpoint being checked has finished its first probe (with retries). */
  initialized(): Promise<void> {
    if (!this.#anyInitial()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  status(): HealthCheckStatus[] {
    return [...this.#targets.values()].map((t) => ({
      endpoint: t.state.endpoint,
      status: t.state.health,
      probes: t.probes,
      consecutiveSuccesses: t.successes,
      consecutiveFailures: t.failures,
      lastReason: t.lastReason,
    }));
  }

  /** Clears every timer and aborts every probe in flight. Idempotent. */
  close(): void {
    this.#closed = true;
    for (const target of this.#targets.values()) this.#stop(target);
    this.#targets.clear();
    this.#settleWaiters();
  }

  async #run(target: Target): Promise<void> {
    target.timer = undefined;
    const { clock, timeoutMs } = this.#o;
    const controller = new AbortController();
    target.controller = controller;
    let timedOut = false;
    const timeout = clock.setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      timeoutMs,
      { unref: true },
    );
    let result: ProbeResult;
    try {
      result = await this.#probe(target.state.endpoint, controller.signal);
    } catch (error) {
      result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      clock.clearTimeout(timeout);
    }
    target.controller = undefined;
    if (!target.active) return;
    if (timedOut) result = { ok: false, reason: `no answer within ${timeoutMs} ms` };
    this.#record(target, result);
  }

  #record(target: Target, result: ProbeResult): void {
    const o = this.#o;
    target.probes++;
    target.lastReason = result.ok ? undefined : result.reason;
    if (result.ok) {
      target.successes++;
      target.failures = 0;
    } else {
      target.failures++;
      target.successes = 0;
    }
    if (target.initial) {
      target.attempts++;
      if (!result.ok && target.attempts <= o.initialRetries) {
        this.#schedule(target, o.backoffBaseMs * 2 ** (target.attempts - 1));
        return;
      }
      target.initial = false;
      this.#setHealth(target, result.ok ? 'healthy' : 'unhealthy');
      this.#settleWaiters();
    } else if (result.ok && target.successes >= o.healthyThreshold) {
      this.#setHealth(target, 'healthy');
    } else if (!result.ok && target.failures >= o.unhealthyThreshold) {
      this.#setHealth(target, 'unhealthy');
    }
    this.#schedule(target, o.intervalMs * (1 + o.jitterRatio * o.random()));
  }

  #schedule(target: Target, delayMs: number): void {
    target.timer = this.#o.clock.setTimeout(() => void this.#run(target), delayMs, { unref: true });
  }

  #setHealth(target: Target, status: HealthStatus): void {
    const previous = target.state.health;
    if (previous === status) return;
    target.state.setHealth(status);
    const endpoint = target.state.endpoint;
    this.#logger[status === 'healthy' ? 'info' : 'warn'](
      { endpoint: endpoint.id, pod: endpoint.pod, status, previous, reason: target.lastReason },
      `endpoint ${endpoint.id} is now ${status}`,
    );
    this.emit('health', { endpoint, status, previous, reason: target.lastReason });
  }

  #stop(target: Target): void {
    target.active = false;
    if (target.timer !== undefined) this.#o.clock.clearTimeout(target.timer);
    target.timer = undefined;
    target.controller?.abort();
    target.controller = undefined;
  }

  #anyInitial(): boolean {
    for (const target of this.#targets.values()) if (target.initial) return true;
    return false;
  }

  #settleWaiters(): void {
    if (this.#waiters.length === 0 || this.#anyInitial()) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function portOption(port: number | undefined): { port?: number } {
  return port === undefined ? {} : { port };
}
