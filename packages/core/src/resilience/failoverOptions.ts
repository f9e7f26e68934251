import type { EndpointPicker } from '../balancing/endpointPicker.js';
import { systemClock } from '../clock.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { OutlierDetector } from '../health/outlierDetector.js';
import { noopLogger } from '../logger.js';
import type { Clock, Endpoint, Logger, Random } from '../types.js';
import type { CircuitBreaker } from './circuitBreaker.js';
import type { HedgePolicy } from './hedging.js';
import type { RetryBudget } from './retryBudget.js';
import { RETRY_DEFAULTS, type RetryPolicyOptions } from './retryPolicy.js';

/** Options, defaults, events and status of the `Failover` executor; its retry fields are {@link RetryPolicyOptions}. */
export interface FailoverOptions extends RetryPolicyOptions {
  /** Picks the endpoint of each attempt (required); see `createPicker`. */
  picker: EndpointPicker;
  /** Per-endpoint circuit breakers to consult and feed. @default undefined (none) */
  breaker?: CircuitBreaker;
  /** Passive health to feed with each outcome. @default undefined (none) */
  outlierDetector?: OutlierDetector;
  /** Shared budget for retries (and hedges). @default a new `RetryBudget` with its defaults */
  retryBudget?: RetryBudget;
  /** Hedges slow idempotent attempts on another endpoint. @default undefined (no hedging) */
  hedge?: HedgePolicy;
  /** The bare Service name, for messages, logs and `details.service`. @default 'the service' */
  service?: string;
  /** Its namespace, for messages and `details.namespace`. @default '' (not known) */
  namespace?: string;
  /** @default systemClock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /** @default noopLogger */
  logger?: Logger;
}

export type FailoverSettings = Required<
  Omit<FailoverOptions, 'picker' | 'breaker' | 'outlierDetector' | 'retryBudget' | 'hedge'>
>;

export const FAILOVER_DEFAULTS: Readonly<FailoverSettings> = Object.freeze({
  service: 'the service',
  namespace: '',
  ...RETRY_DEFAULTS,
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
  /** A hedge: the attempt on `from` goes on, and the first answer wins. */
  readonly hedge?: boolean;
}

export type FailoverEvents = { failover: [FailoverEvent] };

export interface FailoverStatus {
  readonly calls: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Attempts retried on an endpoint after a failure (kubeSmartService's `failover_count`). */
  readonly failovers: number;
  /** Retries refused by the retry budget. */
  readonly budgetExhausted: number;
  /** Hedges sent (each also counts as a failover). */
  readonly hedges: number;
  /** Hedges not sent because the hedge budget was spent. */
  readonly hedgesRefused: number;
  /** Endpoint of the last attempt (kubeSmartService's `active_pod`). */
  readonly lastEndpoint: Endpoint | undefined;
  /** Latency of the last successful attempt, in ms. */
  readonly lastLatencyMs: number | undefined;
}
