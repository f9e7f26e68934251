import { systemClock } from '../clock.js';
import type { KubeSmartError } from '../errors.js';
import { noopLogger } from '../logger.js';
import { assertRange } from '../options.js';
import type { Clock, Logger, Random } from '../types.js';
import type { KubeObject } from './kubeObject.js';

/** `watch` keeps a watch open; `poll` lists every `pollIntervalMs`. */
export type WatchCacheMode = 'watch' | 'poll';

/** Settings of a watch cache; every field has a default. */
export interface WatchCacheSettings {
  /**
   * `'auto'` watches, and polls when the server forbids watch (403); `'watch'` never polls (a
   * forbidden watch is an error retried with backoff); `'poll'` only lists.
   * @default 'auto'
   */
  mode?: 'auto' | WatchCacheMode;
  /**
   * Time between two lists in poll mode, in ms (kubeSmartService's `cacheTtlSeconds`).
   * @default 8000
   */
  pollIntervalMs?: number;
  /**
   * Items per page when listing (`limit`).
   * @default 500
   */
  pageSize?: number;
  /**
   * Shortest server-side watch timeout asked for (`timeoutSeconds`); each watch asks a random value
   * between this and `maxWatchTimeoutSeconds`, so many clients do not re-watch at once.
   * @default 300
   */
  minWatchTimeoutSeconds?: number;
  /** @default 600 */
  maxWatchTimeoutSeconds?: number;
  /**
   * A watch that brings no byte (event, bookmark, keep-alive newline) for this long is taken as stalled
   * and reconnected, in ms. kube-apiserver sends a bookmark about once a minute and no keep-alive, so
   * much lower values re-open quiet watches needlessly there.
   * @default 90000
   */
  stallTimeoutMs?: number;
  /**
   * The cache says it is stale (`status().stale`, and the reads built on it) once its watch brought no
   * byte (event, bookmark, keep-alive newline) for this long, in ms, even before `stallTimeoutMs`
   * reconnects it: kube-apiserver sends a bookmark about every 60 s on a watch that asks for them, so a
   * longer silence means the cache no longer knows it is in step. In poll mode: no list for
   * `pollIntervalMs` plus this long. At most `stallTimeoutMs`.
   * @default 65000, or `stallTimeoutMs` when that is shorter
   */
  staleAfterMs?: number;
  /**
   * A watch the server ends sooner than this after accepting it (and sooner than half the
   * `timeoutSeconds` asked for) ended early: it counts as a failure and is backed off. A watch that
   * lasted longer is healthy, whatever timeout it asked for: proxies commonly end watches after a minute.
   * @default 30000
   */
  healthyWatchMs?: number;
  /**
   * First reconnect delay after a failure, in ms; doubled per failure, half of it jittered.
   * @default 500
   */
  initialBackoffMs?: number;
  /** @default 30000 */
  maxBackoffMs?: number;
  /**
   * Longest wait a server's `Retry-After` (on a 429 or 503) can impose before the next try, in ms.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /**
   * A connection healthy this long resets the backoff, in ms.
   * @default 60000
   */
  backoffResetMs?: number;
  /** @default a logger that drops everything */
  logger?: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** Source of the jitter. @default Math.random */
  random?: Random;
}

export const WATCH_CACHE_DEFAULTS: Readonly<Required<WatchCacheSettings>> = Object.freeze({
  mode: 'auto',
  pollIntervalMs: 8000,
  pageSize: 500,
  minWatchTimeoutSeconds: 300,
  maxWatchTimeoutSeconds: 600,
  stallTimeoutMs: 90_000,
  staleAfterMs: 65_000,
  healthyWatchMs: 30_000,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  maxRetryAfterMs: 60_000,
  backoffResetMs: 60_000,
  logger: noopLogger,
  clock: systemClock,
  random: Math.random,
});

/** Throws `InvalidArgumentError` for a setting out of range. */
export function checkWatchCacheSettings(settings: Required<WatchCacheSettings>): void {
  const owner = 'WatchCache';
  assertRange(owner, 'pollIntervalMs', settings.pollIntervalMs, 1);
  assertRange(owner, 'pageSize', settings.pageSize, 1);
  assertRange(owner, 'minWatchTimeoutSeconds', settings.minWatchTimeoutSeconds, 1);
  assertRange(
    owner,
    'maxWatchTimeoutSeconds',
    settings.maxWatchTimeoutSeconds,
    settings.minWatchTimeoutSeconds,
  );
  assertRange(owner, 'stallTimeoutMs', settings.stallTimeoutMs, 1);
  assertRange(owner, 'staleAfterMs', settings.staleAfterMs, 1, settings.stallTimeoutMs);
  assertRange(owner, 'healthyWatchMs', settings.healthyWatchMs, 0);
  assertRange(owner, 'initialBackoffMs', settings.initialBackoffMs, 0);
  assertRange(owner, 'maxBackoffMs', settings.maxBackoffMs, settings.initialBackoffMs);
  assertRange(owner, 'maxRetryAfterMs', settings.maxRetryAfterMs, 0);
  assertRange(owner, 'backoffResetMs', settings.backoffResetMs, 0);
}

/** A snapshot of a watch cache's health. */
export interface WatchCacheStatus {
  mode: WatchCacheMode;
  /** A first list has completed. */
  synced: boolean;
  /**
   * The cache may lag the server: not synced yet, disconnected since the last failure, or its watch
   * silent for longer than `staleAfterMs`.
   */
  stale: boolean;
  /** Objects held. */
  items: number;
  /** Lists completed (the first one, relists and polls). */
  lists: number;
  /** Lists forced by an expired resourceVersion (410). */
  relists: number;
  /** Reconnects scheduled after a failure. */
  reconnects: number;
  /** Watch events received, bookmarks included. */
  events: number;
  /** Failures seen (each also an `error` event). */
  errors: number;
  /** Time since the last list, event or bookmark, in ms; undefined before the first. */
  lastEventAgeMs: number | undefined;
  /**
   * Time since the cache last heard from the API server (a list, or any byte of its watch, keep-alive
   * newlines included), in ms; undefined before the first list.
   */
  lastHeardAgeMs: number | undefined;
  lastError: KubeSmartError | undefined;
  /** The resourceVersion the cache is at. */
  resourceVersion: string | undefined;
}

/** What a scheduled reconnect reports. */
export interface ReconnectInfo {
  /** Failures in a row, this one included. */
  attempt: number;
  delayMs: number;
  error: KubeSmartError;
}

export type WatchCacheEvents<T extends KubeObject> = {
  add: [object: T];
  update: [object: T, previous: T];
  delete: [object: T];
  /** A list completed and the cache now equals it (first sync, relist or poll). */
  sync: [info: { items: number; lists: number }];
  /** The cache lists again because its resourceVersion expired (410). */
  relist: [reason: KubeSmartError];
  reconnect: [info: ReconnectInfo];
  error: [error: KubeSmartError];
  /**
   * Freshness changed: `true` when disconnected or silent past `staleAfterMs`, `false` when in step
   * again.
   */
  stale: [stale: boolean];
  /** The cache switched between watch and poll. */
  mode: [mode: WatchCacheMode];
};
