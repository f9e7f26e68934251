import type { EndpointPicker } from '../balancing/endpointPicker.js';
import type { EndpointState } from '../health/endpointState.js';
import type { OutlierDetector } from '../health/outlierDetector.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import { type Clock, type Endpoint, type Logger, noopLogger, type Random, systemClock } from '../types.js';
import { runWithTimeout } from './attemptTimeout.js';
import { fullJitterBackoff } from './backoff.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import { classifyFailure } from './classifyFailure.js';
import { failureError, noEndpointError, retryBudgetError } from './failoverErrors.js';
import { RetryBudget } from './retryBudget.js';

export interface FailoverOptions {
  /** Picks the endpoint of each attempt (required); see `createPicker`. */
  picker: EndpointPicker;
  /** Per-endpoint circuit breakers to consult and feed. @default undefined (none) */
  breaker?: CircuitBreaker;
  /** Passive health to feed with each outcome. @default undefined (none) */
  outlierDetector?: OutlierDetector;
  /** Shared budget for retries. @default a new `RetryBudget` with its defaults */
  retryBudget?: RetryBudget;
  /** Service name for messages and logs. @default 'the service' */
  service?: string;
  /** Retries after the first attempt (3 attempts in all, as the mesh seed). @default 2 */
  retries?: number;
  /** Time each attempt may take, in ms; `Infinity` for none. @default 10000 */
  timeoutMs?: number;
  /** Base of the full-jitter exponential backoff between attempts, in ms. @default 25 */
  backoffBaseMs?: number;
  /** Longest backoff between attempts, in ms. @default 250 */
  backoffMaxMs?: number;
  /** Statuses retried for idempotent requests. @default [502, 503, 504] */
  retryOn?: readonly number[];
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** @default noopLogger */
  logger?: Logger;
}

type Settings = Required<Omit<FailoverOptions, 'picker' | 'breaker' | 'outlierDetector' | 'retryBudget'>>;

const DEFAULTS: Readonly<Settings> = Object.freeze({
  service: 'the service',
  retries: 2,
  timeoutMs: 10_000,
  backoffBaseMs: 25,
  backoffMaxMs: 250,
  retryOn: Object.freeze([502, 503, 504]),
  clock: systemClock,
  random: Math.random,
  logger: noopLogger,
});

export interface CallOptions {
  /**
   * Whether the request is safe to repeat. A non-idempotent request is retried only when it
   * provably never reached the server (connection refused, unreachable).
   * @default false
   */
  idempotent?: boolean;
  /** Time each attempt may take, in ms. @default the executor's `timeoutMs` */
  timeoutMs?: number;
  /** Retries after the first attempt. @default the executor's `retries` */
  retries?: number;
  /** Key for key-aware balancers (consistent hashing). @default undefined */
  key?: string;
  /** Aborts the call; it is then neither retried nor counted against the endpoint. */
  signal?: AbortSignal;
}

/** One attempt of a call: gets the endpoint and a signal that aborts at the attempt's timeout. */
export type AttemptFn<T> = (endpoint: EndpointState, signal: AbortSignal) => Promise<T>;

/** Emitted when a failed attempt is retried on another (or the same) endpoint. */
export interface FailoverEvent {
  readonly from: Endpoint;
  readonly to: Endpoint;
  /** Number of the attempt about to run, from 2. */
  readonly attempt: number;
  readonly error: unknown;
  readonly delayMs: number;
}

export type FailoverEvents = { failover: [FailoverEvent] };

export interface FailoverStatus {
  readonly calls: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Attempts retried on an endpoint after a failure (the seed's `failover_count`). */
  readonly failovers: number;
  /** Retries refused by the retry budget. */
  readonly budgetExhausted: number;
  /** Endpoint of the last attempt (the seed's `active_pod`). */
  readonly lastEndpoint: Endpoint | undefined;
  /** Latency of the last successful attempt, in ms. */
  readonly lastLatencyMs: number | undefined;
}

/**
 * Runs a call with failover: each attempt goes to a freshly picked endpoint (one not tried yet
 * while any is left), under a per-attempt timeout, and failed attempts are retried with full-jitter
 * backoff within the retry budget when `classifyFailure` allows. Outcomes feed the endpoint's
 * stats, its circuit breaker and outlier detection.
 *
 * Why not cockatiel's `retry`/`timeout` policies (evaluated, v3.2.1): its retry re-runs the same
 * function and has no notion of choosing another endpoint per attempt or of a retry budget, its
 * backoff and timeout use `Math.random`/`setTimeout` directly rather than the injected random and
 * clock, and the idempotency rule needs our own classification anyway. What remains is small.
 */
export class Failover extends TypedEmitter<FailoverEvents> {
  readonly #o: Readonly<Settings>;
  readonly #picker: EndpointPicker;
  readonly #breaker: CircuitBreaker | undefined;
  readonly #outliers: OutlierDetector | undefined;
  readonly #budget: RetryBudget;
  readonly #logger: Logger;
  #calls = 0;
  #succeeded = 0;
  #failed = 0;
  #failovers = 0;
  #budgetExhausted = 0;
  #lastEndpoint: Endpoint | undefined = undefined;
  #lastLatencyMs: number | undefined = undefined;

  constructor(options: FailoverOptions) {
    const o = Object.freeze(withDefaults(DEFAULTS, options));
    super(o.logger);
    assertRange('Failover', 'retries', o.retries, 0, 100);
    assertRange('Failover', 'timeoutMs', o.timeoutMs, 1);
    assertRange('Failover', 'backoffBaseMs', o.backoffBaseMs, 0);
    assertRange('Failover', 'backoffMaxMs', o.backoffMaxMs, o.backoffBaseMs);
    this.#o = o;
    this.#picker = options.picker;
    this.#breaker = options.breaker;
    this.#outliers = options.outlierDetector;
    this.#budget = options.retryBudget ?? new RetryBudget({ clock: o.clock });
    this.#logger = o.logger.child?.({ component: 'failover', service: o.service }) ?? o.logger;
  }

  /** Runs `fn` against picked endpoints until it succeeds or may not be retried. */
  async execute<T>(fn: AttemptFn<T>, options?: CallOptions): Promise<T> {
    const o = this.#o;
    const idempotent = options?.idempotent ?? false;
    const retries = options?.retries ?? o.retries;
    const timeoutMs = options?.timeoutMs ?? o.timeoutMs;
    const signal = options?.signal;
    this.#calls++;
    this.#budget.recordRequest();
    const avoid = new Set<EndpointState>();
    const refused = new Set<EndpointState>();
    const tried: string[] = [];
    let last: { state: EndpointState; error: unknown } | undefined;
    for (let attempt = 0; ; attempt++) {
      let delayMs = 0;
      if (last !== undefined) {
        delayMs = fullJitterBackoff(attempt - 1, o.backoffBaseMs, o.backoffMaxMs, o.random);
        await this.#sleep(delayMs, signal);
      }
      const state = this.#acquire(options?.key, avoid, refused, last !== undefined);
      if (state === undefined) {
        this.#failed++;
        if (last === undefined) throw noEndpointError(o.service, refused);
        throw failureError(o.service, tried, last.error, 'no-endpoint-left');
      }
      if (last !== undefined) {
        if (!this.#budget.tryRetry()) {
          this.#breaker?.release(state);
          this.#budgetExhausted++;
          this.#failed++;
          throw retryBudgetError(o.service, tried, last.error);
        }
        this.#failovers++;
        this.#logger.debug(
          { from: last.state.id, to: state.id, attempt: attempt + 1 },
          'retrying on another endpoint',
        );
        this.emit('failover', {
          from: last.state.endpoint,
          to: state.endpoint,
          attempt: attempt + 1,
          error: last.error,
          delayMs,
        });
      }
      tried.push(state.id);
      const outcome = await this.#attempt(state, fn, timeoutMs, signal);
      if (outcome.ok) {
        this.#succeeded++;
        return outcome.value;
      }
      const error = outcome.error;
      if (signal?.aborted) {
        this.#failed++;
        throw signal.reason;
      }
      const failure = classifyFailure(error, { idempotent, retryOn: o.retryOn });
      if (!failure.endpointFault) {
        this.#failed++;
        throw error;
      }
      last = { state, error };
      avoid.add(state);
      if (!failure.retryable || attempt >= retries) {
        this.#failed++;
        const reason = failure.retryable
          ? 'attempts-exhausted'
          : idempotent
            ? 'status-not-retried'
            : 'not-idempotent';
        throw failureError(o.service, tried, error, reason);
      }
    }
  }

  status(): FailoverStatus {
    return {
      calls: this.#calls,
      succeeded: this.#succeeded,
      failed: this.#failed,
      failovers: this.#failovers,
      budgetExhausted: this.#budgetExhausted,
      lastEndpoint: this.#lastEndpoint,
      lastLatencyMs: this.#lastLatencyMs,
    };
  }

  /**
   * Picks an endpoint whose breaker lets the request through: first among endpoints not tried yet,
   * then (on retries, when all were tried) among the tried ones again.
   */
  #acquire(
    key: string | undefined,
    avoid: Set<EndpointState>,
    refused: Set<EndpointState>,
    retry: boolean,
  ): EndpointState | undefined {
    const found = this.#acquireAvoiding(key, avoid, refused, avoid);
    if (found !== undefined || !retry || avoid.size === refused.size) return found;
    return this.#acquireAvoiding(key, refused, refused, avoid);
  }

  #acquireAvoiding(
    key: string | undefined,
    exclude: Set<EndpointState>,
    refused: Set<EndpointState>,
    avoid: Set<EndpointState>,
  ): EndpointState | undefined {
    for (let guard = 0; guard < 1_000; guard++) {
      const state = this.#picker.pick(key, exclude);
      if (state === undefined) return undefined;
      if (this.#breaker === undefined || this.#breaker.tryAcquire(state)) return state;
      refused.add(state);
      avoid.add(state);
    }
    return undefined;
  }

  async #attempt<T>(
    state: EndpointState,
    fn: AttemptFn<T>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
    const { clock, retryOn } = this.#o;
    const start = clock.now();
    this.#lastEndpoint = state.endpoint;
    state.beginRequest();
    try {
      const what = `call to ${this.#o.service} on ${state.id}`;
      const value = await runWithTimeout((attemptSignal) => fn(state, attemptSignal), {
        timeoutMs,
        clock,
        signal,
        what,
      });
      const latencyMs = clock.now() - start;
      this.#lastLatencyMs = latencyMs;
      state.endRequest(latencyMs, true, clock.now());
      this.#breaker?.onSuccess(state);
      this.#outliers?.onSuccess(state);
      return { ok: true, value };
    } catch (error) {
      const now = clock.now();
      if (signal?.aborted) {
        state.abandonRequest();
        this.#breaker?.release(state);
      } else if (classifyFailure(error, { idempotent: true, retryOn }).endpointFault) {
        state.endRequest(now - start, false, now);
        this.#breaker?.onFailure(state);
        this.#outliers?.onFailure(state);
      } else {
        state.endRequest(now - start, true, now);
        this.#breaker?.onSuccess(state);
        this.#outliers?.onSuccess(state);
      }
      return { ok: false, error };
    }
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    if (ms <= 0 && !signal?.aborted) return Promise.resolve();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => {
        this.#o.clock.clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = this.#o.clock.setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
