import type { EndpointPicker } from '../balancing/endpointPicker.js';
import { fullJitterBackoff } from '../cluster/backoff.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { OutlierDetector } from '../health/outlierDetector.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Endpoint, Logger } from '../types.js';
import { runWithTimeout } from './attemptTimeout.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import { classifyFailure } from './classifyFailure.js';
import { failureError, hedgeError, retryBudgetError } from './failoverErrors.js';
import {
  type AttemptFn,
  type CallOptions,
  FAILOVER_DEFAULTS,
  type FailoverEvents,
  type FailoverOptions,
  type FailoverSettings,
  type FailoverStatus,
} from './failoverOptions.js';
import { type HedgePolicy, type RaceRunner, raceWithHedge } from './hedging.js';
import { describeService, noEndpointError, type ServiceTarget } from './noEndpointError.js';
import { RetryBudget } from './retryBudget.js';

type Outcome<T> =
  | { ok: true; value: T; state: EndpointState }
  | { ok: false; error: unknown; state: EndpointState };

/** What one call's attempts have tried and must avoid, shared by its hedges. */
interface CallPlan {
  readonly key: string | undefined;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly avoid: Set<EndpointState>;
  readonly refused: Set<EndpointState>;
  readonly tried: string[];
  attempt: number;
}

/**
 * Runs a call with failover: each attempt goes to a freshly picked endpoint (one not tried yet
 * while any is left), under a per-attempt timeout, and failed attempts are retried with full-jitter
 * backoff within the retry budget when `classifyFailure` allows. An idempotent attempt that has
 * not answered after the hedge policy's delay gets a hedge on another endpoint (see `hedging.ts`).
 * Outcomes feed the endpoint's stats, its circuit breaker and outlier detection.
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
  readonly #hedge: HedgePolicy | undefined;
  readonly #logger: Logger;
  readonly #target: ServiceTarget;
  #calls = 0;
  #hedges = 0;
  #hedgesRefused = 0;
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
    this.#hedge = options.hedge;
    this.#target = o.namespace === '' ? { name: o.service } : { name: o.service, namespace: o.namespace };
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
    const plan: CallPlan = { key: options?.key, timeoutMs, signal, avoid, refused, tried, attempt: 0 };
    let last: { state: EndpointState; error: unknown } | undefined;
    for (let attempt = 0; ; attempt++) {
      plan.attempt = attempt;
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
        if (last === undefined) throw noEndpointError(this.#target, [], { refused, call: true });
        throw failureError(this.#target, tried, last.error, 'no-endpoint-left');
      }
      if (last !== undefined) {
        if (!this.#budget.tryRetry()) {
          this.#breaker?.release(state);
          this.#budgetExhausted++;
          this.#failed++;
          throw retryBudgetError(this.#target, tried, last.error);
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
      const outcome =
        idempotent && this.#hedge !== undefined
          ? await this.#hedged(state, fn, plan)
          : await this.#attempt(state, fn, timeoutMs, signal);
      if (outcome.ok) {
        this.#succeeded++;
        return outcome.value;
      }
      const error = outcome.error;
      const failedState = outcome.state;
      if (signal?.aborted) {
        this.#failed++;
        throw signal.reason;
      }
      const failure = classifyFailure(error, { idempotent, retryOn: o.retryOn });
      if (!failure.endpointFault) {
        this.#failed++;
        throw error;
      }
      last = { state: failedState, error };
      avoid.add(failedState);
      if (!failure.retryable || attempt >= retries) {
        this.#failed++;
        const reason = failure.retryable
          ? 'attempts-exhausted'
          : idempotent
            ? 'status-not-retried'
            : 'not-idempotent';
        throw failureError(this.#target, tried, error, reason);
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
      hedges: this.#hedges,
      hedgesRefused: this.#hedgesRefused,
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

  /**
   * Runs the attempt on `state`, and a hedge on another endpoint when it is slow (see
   * {@link raceWithHedge}); failed hedges join the endpoints to avoid. The outcome names its endpoint.
   */
  async #hedged<T>(state: EndpointState, fn: AttemptFn<T>, plan: CallPlan): Promise<Outcome<T>> {
    const delayMs = this.#hedge!.delayMs(plan.timeoutMs);
    if (plan.attempt === 0) this.#hedge!.recordCall();
    const run =
      (target: EndpointState, slowIsFault: boolean): RaceRunner<T, EndpointState> =>
      (lost) =>
        this.#attempt(target, fn, plan.timeoutMs, plan.signal, lost, slowIsFault);
    const hedge = (): RaceRunner<T, EndpointState> | undefined => {
      if (plan.signal?.aborted) return undefined;
      const exclude = new Set(plan.avoid).add(state);
      const next = this.#acquireAvoiding(plan.key, exclude, plan.refused, plan.avoid);
      if (next === undefined) return undefined;
      if (!this.#hedge!.tryHedge()) {
        this.#breaker?.release(next);
        this.#hedgesRefused++;
        return undefined;
      }
      this.#hedges++;
      this.#failovers++;
      plan.tried.push(next.id);
      const error = hedgeError(this.#target, state.id, delayMs);
      this.#logger.debug(
        { from: state.id, to: next.id, delayMs },
        'hedging a slow attempt on another endpoint',
      );
      this.emit('failover', {
        from: state.endpoint,
        to: next.endpoint,
        attempt: plan.attempt + 2,
        error,
        delayMs,
        hedge: true,
      });
      return run(next, false);
    };
    const { outcome, failed } = await raceWithHedge(run(state, true), hedge, delayMs, this.#o.clock);
    for (const other of failed) plan.avoid.add(other.state);
    return outcome;
  }

  /**
   * One attempt on `state`. `lost` aborts it because a hedge answered first: the slow attempt
   * counts as its endpoint's failure (for outlier detection) when `slowIsFault` (it was sent
   * first), else as abandoned.
   */
  async #attempt<T>(
    state: EndpointState,
    fn: AttemptFn<T>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    lost?: AbortSignal,
    slowIsFault = true,
  ): Promise<Outcome<T>> {
    const { clock, retryOn } = this.#o;
    const start = clock.now();
    this.#lastEndpoint = state.endpoint;
    state.beginRequest();
    try {
      const what = `call to ${describeService(this.#target)} on ${state.id}`;
      const parent =
        lost === undefined ? signal : signal === undefined ? lost : AbortSignal.any([signal, lost]);
      const value = await runWithTimeout((attemptSignal) => fn(state, attemptSignal), {
        timeoutMs,
        clock,
        signal: parent,
        what,
      });
      const latencyMs = clock.now() - start;
      this.#lastLatencyMs = latencyMs;
      this.#hedge?.record(latencyMs);
      state.endRequest(latencyMs, true, clock.now());
      this.#breaker?.onSuccess(state);
      this.#outliers?.onSuccess(state);
      return { ok: true, value, state };
    } catch (error) {
      const now = clock.now();
      if (signal?.aborted || (lost?.aborted && !slowIsFault)) {
        state.abandonRequest();
        this.#breaker?.release(state);
      } else if (lost?.aborted) {
        // Slower than a hedge sent later: a latency outlier. Outlier detection (never more than
        // maxEjectionPercent of the pool) takes it, not the breaker: on a busy host every endpoint
        // is sometimes slow, and breakers could open on all of them.
        state.endRequest(now - start, false, now);
        this.#breaker?.release(state);
        this.#outliers?.onFailure(state);
      } else if (classifyFailure(error, { idempotent: true, retryOn }).endpointFault) {
        state.endRequest(now - start, false, now);
        this.#breaker?.onFailure(state);
        this.#outliers?.onFailure(state);
      } else {
        state.endRequest(now - start, true, now);
        this.#breaker?.onSuccess(state);
        this.#outliers?.onSuccess(state);
      }
      return { ok: false, error, state };
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
