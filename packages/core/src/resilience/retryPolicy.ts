/**
 * How a call is retried on another endpoint: the one set of retry options and defaults shared by
 * `Failover`, `ks.service(name, { retry })` and every app that configures retries.
 */
export interface RetryPolicyOptions {
  /**
   * Retries after the first attempt: 3 attempts in all.
   * @default 2
   */
  retries?: number;
  /**
   * Time each attempt may take, in ms (until the response headers, for `fetch()`); `Infinity` for none.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Base of the full-jitter exponential backoff between attempts, in ms.
   * @default 25
   */
  backoffBaseMs?: number;
  /**
   * Longest backoff between attempts, in ms.
   * @default 250
   */
  backoffMaxMs?: number;
  /**
   * Statuses retried for idempotent requests. 4xx are never retried.
   * @default [502, 503, 504]
   */
  retryOn?: readonly number[];
}

/** The retry defaults, defined here only: {@link RetryPolicyOptions} documents each. */
export const RETRY_DEFAULTS: Readonly<Required<RetryPolicyOptions>> = Object.freeze({
  retries: 2,
  timeoutMs: 10_000,
  backoffBaseMs: 25,
  backoffMaxMs: 250,
  retryOn: Object.freeze([502, 503, 504]),
});
