import { assertRange, withDefaults } from '../options.js';
import type { Clock } from '../types.js';
import { LatencyWindow } from './latencyWindow.js';
import { RetryBudget } from './retryBudget.js';

/**
 * Hedged attempts for idempotent requests, after Envoy's `hedge_on_per_try_timeout` and the
 * "tail at scale" hedged request: when an attempt has not answered after a delay derived from the
 * service's observed latency, a second attempt goes to another endpoint; the first answer wins and
 * the other attempt is cancelled. The slow attempt counts as a failure of its endpoint, so a hung
 * pod is ejected by outlier detection and its breaker after a few requests.
 */
export interface HedgeOptions {
  /**
   * Shortest delay before a hedge, in ms, so a fast service is not hedged on scheduling noise.
   * @default 25
   */
  minDelayMs?: number;
  /**
   * Delay before a hedge while fewer than `minSamples` attempts succeeded, in ms.
   * @default 500
   */
  initialDelayMs?: number;
  /**
   * Successful attempts seen before the delay follows the observed p99 latency.
   * @default 20
   */
  minSamples?: number;
  /**
   * The hedge delay is this multiple of the p99 latency of the last 256 successful attempts.
   * @default 2
   */
  latencyMultiplier?: number;
  /**
   * Hedges allowed, as a share of the hedgeable calls over 10 s (plus 5 a second), in percent. A
   * budget of their own, so hedges on a slow host never spend what retries need.
   * @default 10
   */
  budgetPercent?: number;
}

export const HEDGE_DEFAULTS: Readonly<Required<HedgeOptions>> = Object.freeze({
  minDelayMs: 25,
  initialDelayMs: 500,
  minSamples: 20,
  latencyMultiplier: 2,
  budgetPercent: 10,
});

/**
 * When to hedge: the delay from the latencies of one service's successful attempts, and a budget
 * of hedges.
 */
export class HedgePolicy {
  readonly #o: Readonly<Required<HedgeOptions>>;
  readonly #window = new LatencyWindow();
  readonly #budget: RetryBudget;

  constructor(options?: HedgeOptions, clock?: Clock) {
    const o = Object.freeze(withDefaults(HEDGE_DEFAULTS, options));
    assertRange('hedge', 'minDelayMs', o.minDelayMs, 0);
    assertRange('hedge', 'initialDelayMs', o.initialDelayMs, o.minDelayMs);
    assertRange('hedge', 'minSamples', o.minSamples, 1);
    assertRange('hedge', 'latencyMultiplier', o.latencyMultiplier, 1);
    assertRange('hedge', 'budgetPercent', o.budgetPercent, 0, 100);
    this.#o = o;
    this.#budget = new RetryBudget({
      percent: o.budgetPercent,
      minRetriesPerSecond: 5,
      ...(clock ? { clock } : {}),
    });
  }

  /** Counts a call that may be hedged, for the budget. */
  recordCall(): void {
    this.#budget.recordRequest();
  }

  /** Takes one hedge from the budget; false when it is spent. */
  tryHedge(): boolean {
    return this.#budget.tryRetry();
  }

  /** Records the latency of a successful attempt, in ms. */
  record(latencyMs: number): void {
    this.#window.record(latencyMs);
  }

  /** Delay before a hedge now, in ms, at most `timeoutMs` (a hedge after the timeout is none). */
  delayMs(timeoutMs: number): number {
    const o = this.#o;
    const p99 = this.#window.value;
    const delay =
      p99 === undefined || this.#window.count < o.minSamples
        ? o.initialDelayMs
        : Math.max(o.minDelayMs, p99 * o.latencyMultiplier);
    return Math.min(delay, timeoutMs);
  }

  /** The observed p99 latency, in ms, once there are samples. */
  get p99Ms(): number | undefined {
    return this.#window.value;
  }
}

/** An attempt's outcome as the race sees it. */
export type RacedOutcome<T, S> =
  | { readonly ok: true; readonly value: T; readonly state: S }
  | { readonly ok: false; readonly error: unknown; readonly state: S };

/** Starts an attempt; aborting `lost` cancels it because another attempt won. */
export type RaceRunner<T, S> = (lost: AbortSignal) => Promise<RacedOutcome<T, S>>;

export interface RaceResult<T, S> {
  /** The first success, else the last failure. */
  readonly outcome: RacedOutcome<T, S>;
  /** Failed attempts other than `outcome`. */
  readonly failed: readonly RacedOutcome<T, S>[];
  /** Whether a hedge was sent. */
  readonly hedged: boolean;
}

/**
 * Runs `first` at once and, when it has not settled after `delayMs`, the runner `hedge()` gives
 * (none when it gives undefined: no endpoint left or no budget). Settles with the first success and
 * aborts the other attempt, or with the last failure once every attempt started failed (a failure
 * before the delay settles at once: retrying is the caller's job). The timer is cleared in every
 * case.
 */
export function raceWithHedge<T, S>(
  first: RaceRunner<T, S>,
  hedge: () => RaceRunner<T, S> | undefined,
  delayMs: number,
  clock: Clock,
): Promise<RaceResult<T, S>> {
  return new Promise((resolve) => {
    const controllers: AbortController[] = [];
    const failed: RacedOutcome<T, S>[] = [];
    let pending = 0;
    let settled = false;
    let hedged = false;
    let timer: unknown;
    const finish = (outcome: RacedOutcome<T, S>): void => {
      settled = true;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      for (const controller of controllers) controller.abort();
      resolve({ outcome, failed: failed.filter((f) => f !== outcome), hedged });
    };
    const start = (runner: RaceRunner<T, S>): void => {
      const controller = new AbortController();
      controllers.push(controller);
      pending++;
      runner(controller.signal).then((outcome) => {
        pending--;
        if (settled) return;
        if (outcome.ok) return finish(outcome);
        failed.push(outcome);
        if (pending === 0) finish(outcome);
      });
    };
    start(first);
    if (!Number.isFinite(delayMs)) return;
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (settled) return;
      const runner = hedge();
      if (runner === undefined) return;
      hedged = true;
      start(runner);
    }, delayMs);
  });
}
