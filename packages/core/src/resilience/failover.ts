import type { EndpointPicker } from '../balancing/endpointPicker.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { OutlierDetector } from '../health/outlierDetector.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Endpoint, Logger } from '../types.js';
import { runWithTimeout } from './attemptTimeout.js';
import { fullJitterBackoff } from './backoff.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import { classifyFailure } from './classifyFailure.js';
import { failureError, noEndpointError, retryBudgetError } from './failoverErrors.js';
import {
  type AttemptFn,
  type CallOptions,
  FAILOVER_DEFAULTS,
  type FailoverEvents,
  type FailoverOptions,
  type FailoverSettings,
  type FailoverStatus,
} from './failoverOptions.js';
import { RetryBudget } from './retryBudget.js';

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
  readonly #o: Readonly<FailoverSettings>;
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
    const o = Object.freeze(withDefaults(FAILOVER_DEFAULTS, options));
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
        try {
          await this.#sleep(delayMs, signal);
        } catch (aborted) {
          this.#failed++;
          throw aborted;
        }
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
