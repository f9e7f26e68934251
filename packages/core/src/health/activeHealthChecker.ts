import { exponentialDelay } from '../cluster/backoff.js';
import type { EndpointState, HealthStatus } from '../endpoints/endpointState.js';
import { ClosedError } from '../errors.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Logger, TimerHandle } from '../types.js';
import {
  type ActiveHealthCheckOptions,
  type ActiveHealthEvents,
  HEALTH_CHECK_DEFAULTS,
  type HealthCheckSettings,
  type HealthCheckStatus,
} from './activeHealthCheckOptions.js';
import { watchConnection } from './connectionWatch.js';
import { createHttpProbe, createTcpProbe, type HealthProbe, type ProbeResult } from './probes.js';

interface Target {
  readonly state: EndpointState;
  active: boolean;
  initial: boolean;
  attempts: number;
  probes: number;
  successes: number;
  failures: number;
  lastReason: string | undefined;
  lastLatencyMs: number | undefined;
  timer: TimerHandle | undefined;
  controller: AbortController | undefined;
  startedAt: number;
  /** Closes the idle connection held to notice the endpoint closing it (see `watchConnections`). */
  unwatch: (() => void) | undefined;
  watchedAt: number;
}

/**
 * Probe failures that are conclusive on their own: nothing listens on the port, or the host is
 * gone. They mark a checked endpoint unhealthy at once; other failures (timeouts, resets, HTTP
 * statuses) count toward `unhealthyThreshold`.
 */
const CONCLUSIVE: ReadonlySet<string> = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN']);

/**
 * Probes endpoints on a timer and writes their health into their {@link EndpointState}. A new
 * endpoint is probed at once, with retries and exponential backoff, then every interval with
 * jitter; healthy/unhealthy thresholds damp flapping, except that a refused or unreachable
 * connection marks an endpoint unhealthy at once. All timers come from the injected clock and
 * `close()` clears every one of them and aborts probes in flight.
 */
export class ActiveHealthChecker extends TypedEmitter<ActiveHealthEvents> {
  readonly #o: Readonly<HealthCheckSettings>;
  readonly #probe: HealthProbe;
  readonly #port: number | undefined;
  readonly #logger: Logger;
  readonly #targets = new Map<EndpointState, Target>();
  #waiters: (() => void)[] = [];
  #closed = false;

  constructor(options?: ActiveHealthCheckOptions) {
    const o = Object.freeze(withDefaults(HEALTH_CHECK_DEFAULTS, options));
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
    this.#port = options?.port;
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
      lastLatencyMs: undefined,
      timer: undefined,
      controller: undefined,
      startedAt: Number.NEGATIVE_INFINITY,
      unwatch: undefined,
      watchedAt: Number.NEGATIVE_INFINITY,
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

  /**
   * Probes `state` now instead of at its next turn (a caller reported a failure): unless a probe of
   * it is in flight or started less than a tenth of `intervalMs` ago.
   */
  checkNow(state: EndpointState): void {
    const target = this.#targets.get(state);
    if (target === undefined || target.controller !== undefined) return;
    if (this.#o.clock.now() - target.startedAt < this.#o.intervalMs / 10) return;
    if (target.timer !== undefined) this.#o.clock.clearTimeout(target.timer);
    void this.#run(target);
  }

  /**
   * Marks `state` unhealthy now, for `reason` (a caller found it refusing connections); its regular
   * probes bring it back after `healthyThreshold` passes.
   */
  markUnhealthy(state: EndpointState, reason: string): void {
    const target = this.#targets.get(state);
    if (target === undefined) return;
    target.lastReason = reason;
    target.successes = 0;
    this.#setHealth(target, 'unhealthy');
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
      lastLatencyMs: t.lastLatencyMs,
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
    const start = clock.now();
    target.startedAt = start;
    try {
      result = await this.#probe(target.state.endpoint, controller.signal);
      if (result.ok) {
        const now = clock.now();
        target.lastLatencyMs = now - start;
        target.state.markReachable(now);
      }
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
    if (result.ok && o.watchConnections) this.#watch(target);
    if (!result.ok && CONCLUSIVE.has(result.reason ?? '')) target.state.markUnreachable();
    if (target.initial) {
      target.attempts++;
      if (!result.ok && target.attempts <= o.initialRetries) {
        this.#schedule(target, exponentialDelay(target.attempts - 1, o.backoffBaseMs));
        return;
      }
      target.initial = false;
      this.#setHealth(target, result.ok ? 'healthy' : 'unhealthy');
      this.#settleWaiters();
    } else if (result.ok && target.successes >= o.healthyThreshold) {
      this.#setHealth(target, 'healthy');
    } else if (
      !result.ok &&
      (target.failures >= o.unhealthyThreshold || CONCLUSIVE.has(result.reason ?? ''))
    ) {
      this.#setHealth(target, 'unhealthy');
    }
    this.#schedule(target, o.intervalMs * (1 + o.jitterRatio * o.random()));
  }

  /**
   * Holds an idle connection to the endpoint (at most one opened per interval, so an endpoint that
   * drops every connection costs one extra probe per interval); when the endpoint closes it, the
   * endpoint is probed at once, and a refused probe takes it out.
   */
  #watch(target: Target): void {
    const now = this.#o.clock.now();
    if (target.unwatch !== undefined || now - target.watchedAt < this.#o.intervalMs) return;
    target.watchedAt = now;
    target.unwatch = watchConnection(target.state.endpoint, this.#port, (reason) => {
      target.unwatch = undefined;
      if (!target.active || target.controller !== undefined) return;
      this.#logger.debug(
        { endpoint: target.state.id, reason },
        'the endpoint closed a held connection; probing it',
      );
      if (target.timer !== undefined) this.#o.clock.clearTimeout(target.timer);
      void this.#run(target);
    });
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
    target.unwatch?.();
    target.unwatch = undefined;
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
