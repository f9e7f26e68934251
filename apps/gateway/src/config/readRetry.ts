import { RETRY_DEFAULTS } from '@kubesmart/core';
import { type ConfigReader, describe, join } from './configReader.js';
import type { RetryConfig } from './gatewayConfig.js';

/** The retry keys of a route: core's `retry` options (`retries`, `timeoutMs`, ...) in snake case. */
export const RETRY_KEYS = [
  'retries',
  'timeout_ms',
  'timeout_seconds',
  'backoff_base_ms',
  'backoff_base_seconds',
  'backoff_max_ms',
  'backoff_max_seconds',
  'retry_on',
  'budget',
];

/** Earlier names of the retry keys, still read (with a deprecation warning) until the next major version. */
const RENAMED_RETRY_KEYS: Readonly<Record<string, string>> = Object.freeze({
  backoff_ms: 'backoff_base_ms',
  backoff_seconds: 'backoff_base_seconds',
  max_backoff_ms: 'backoff_max_ms',
  max_backoff_seconds: 'backoff_max_seconds',
  per_try_timeout_ms: 'timeout_ms',
  per_try_timeout_seconds: 'timeout_seconds',
});
const DEPRECATED_RETRY_KEYS = ['max_attempts', 'budget_percent', ...Object.keys(RENAMED_RETRY_KEYS)];
const BUDGET_KEYS = ['percent', 'min_retries_per_second', 'window_ms', 'window_seconds'];

/** Defaults of a route's retries: core's, with core's own retry budget. */
export const RETRY_CONFIG_DEFAULTS: RetryConfig = Object.freeze({
  ...RETRY_DEFAULTS,
  budget: Object.freeze({}),
});

/** Reads `retry:` over `base`, turning the earlier key names into the current ones with a warning each. */
export function readRetry(r: ConfigReader, value: unknown, path: string, base: RetryConfig): RetryConfig {
  const given = r.object(value, path, [...RETRY_KEYS, ...DEPRECATED_RETRY_KEYS]);
  if (given === undefined) return base;
  const o = renameDeprecated(r, given, path);
  let retries = r.int(o, 'retries', path, 0, 9);
  const maxAttempts = r.int(o, 'max_attempts', path, 1, 10);
  if (maxAttempts !== undefined) {
    if (o.retries !== undefined)
      r.issue(join(path, 'max_attempts'), 'give either retries or max_attempts, not both');
    r.deprecated(join(path, 'max_attempts'), `retries: ${maxAttempts - 1} (retries after the first attempt)`);
    retries = maxAttempts - 1;
  }
  const retry: RetryConfig = {
    retries: retries ?? base.retries,
    timeoutMs: r.duration(o, 'timeout', path, 10, 600_000) ?? base.timeoutMs,
    backoffBaseMs: r.duration(o, 'backoff_base', path, 0, 60_000) ?? base.backoffBaseMs,
    backoffMaxMs: r.duration(o, 'backoff_max', path, 0, 300_000) ?? base.backoffMaxMs,
    retryOn: readRetryOn(r, o.retry_on, join(path, 'retry_on')) ?? base.retryOn,
    budget: readBudget(r, o, path, base.budget),
  };
  if (retry.backoffMaxMs < retry.backoffBaseMs) {
    r.issue(
      join(path, 'backoff_max_ms'),
      `must be at least the backoff base (${retry.backoffBaseMs} ms), got ${retry.backoffMaxMs} ms`,
    );
  }
  return retry;
}

function renameDeprecated(
  r: ConfigReader,
  o: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const renamed = { ...o };
  for (const [old, current] of Object.entries(RENAMED_RETRY_KEYS)) {
    if (o[old] === undefined) continue;
    if (o[current] !== undefined) r.issue(join(path, old), `give either ${current} or ${old}, not both`);
    else renamed[current] = o[old];
    delete renamed[old];
    r.deprecated(join(path, old), current);
  }
  return renamed;
}

function readRetryOn(r: ConfigReader, list: unknown, path: string): readonly number[] | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list) || list.some((s) => !Number.isInteger(s))) {
    return r.issue(path, `must be a list of HTTP statuses like [502, 503, 504], got ${describe(list)}`);
  }
  const bad = (list as number[]).filter((s) => s < 500 || s > 599);
  if (bad.length > 0) {
    return r.issue(
      path,
      `only 5xx statuses may be retried, got ${bad.join(', ')}: a 4xx is the client's own error and is never retried`,
    );
  }
  return Object.freeze([...(list as number[])]);
}

/** `budget: false`, `budget: { percent, min_retries_per_second, window_ms }`, or the earlier `budget_percent`. */
function readBudget(
  r: ConfigReader,
  o: Record<string, unknown>,
  path: string,
  base: RetryConfig['budget'],
): RetryConfig['budget'] {
  const at = join(path, 'budget');
  if (o.budget_percent !== undefined) {
    const percent = r.int(o, 'budget_percent', path, 0, 100);
    if (o.budget !== undefined)
      return r.issue(join(path, 'budget_percent'), 'give either budget or budget_percent, not both') ?? base;
    r.deprecated(
      join(path, 'budget_percent'),
      percent === 0 ? 'budget: false' : `budget: { percent: ${percent} }`,
    );
    if (percent === undefined) return base;
    return percent === 0 ? false : Object.freeze({ percent });
  }
  if (o.budget === undefined) return base;
  if (o.budget === false) return false;
  const b = r.object(o.budget, at, BUDGET_KEYS);
  if (b === undefined) return base;
  const percent = r.int(b, 'percent', at, 1, 100);
  const minRetriesPerSecond = r.int(b, 'min_retries_per_second', at, 0, 100_000);
  const windowMs = r.duration(b, 'window', at, 100, 600_000);
  return Object.freeze({
    ...(base === false ? {} : base),
    ...(percent === undefined ? {} : { percent }),
    ...(minRetriesPerSecond === undefined ? {} : { minRetriesPerSecond }),
    ...(windowMs === undefined ? {} : { windowMs }),
  });
}
