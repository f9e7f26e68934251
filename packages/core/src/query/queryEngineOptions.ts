import type { EngineContext } from '../engineContext.js';
import { assertRange, withDefaults } from '../options.js';

export interface QueryEngineOptions {
  /** The client, watch cache registry, logger and clock shared with the other engines. */
  context: EngineContext;
  /**
   * Items per list request (`limit`); longer lists are read page by page with `continue`.
   * @default 500
   */
  pageSize?: number;
  /**
   * Most namespaces a query lists one by one; with more (or when a label/field selector already
   * narrows the list on the server) it sends one cluster-wide list and keeps the namespaces here.
   * @default 3
   */
  namespaceListLimit?: number;
  /**
   * Most parents a join queries one by one (each with its own selector); with more, one query covers
   * them all and each object is matched to its parent here.
   * @default 8
   */
  joinFanoutLimit?: number;
  /**
   * Read a live, synced watch cache of the registry instead of listing when one covers the query.
   * @default true
   */
  useWatchCaches?: boolean;
  /**
   * Wall-clock time in ms since the epoch: pod ages, `broken()` windows, `restart()` timestamps.
   * @default Date.now
   */
  now?: () => number;
  /** Cluster DNS domain of `service.fqdn`. @default 'cluster.local' */
  clusterDomain?: string;
  /** Time `waitUntil()` waits when the call names none, in ms. @default 60000 */
  waitTimeoutMs?: number;
  /** Time `exec()` may take when the call names none, in ms. @default 60000 */
  execTimeoutMs?: number;
  /** A pod Pending longer than this is broken (`PendingTooLong`), in ms. @default 300000 */
  pendingTooLongMs?: number;
  /** A running pod not Ready for longer than this is broken (`NotReady`), in ms. @default 120000 */
  notReadyTooLongMs?: number;
  /** A running pod OOM-killed this recently is broken, in ms. @default 600000 */
  recentFailureMs?: number;
}

/** Every setting of a query engine, defaults applied. */
export type QuerySettings = Required<Omit<QueryEngineOptions, 'context'>>;

export const QUERY_DEFAULTS: Readonly<QuerySettings> = Object.freeze({
  pageSize: 500,
  namespaceListLimit: 3,
  joinFanoutLimit: 8,
  useWatchCaches: true,
  now: Date.now,
  clusterDomain: 'cluster.local',
  waitTimeoutMs: 60_000,
  execTimeoutMs: 60_000,
  pendingTooLongMs: 300_000,
  notReadyTooLongMs: 120_000,
  recentFailureMs: 600_000,
});

/** Merges options over the defaults once and checks the ranges. */
export function querySettings(options: Omit<QueryEngineOptions, 'context'>): QuerySettings {
  const settings = withDefaults(QUERY_DEFAULTS, options);
  const owner = 'QueryEngine';
  assertRange(owner, 'pageSize', settings.pageSize, 1);
  assertRange(owner, 'namespaceListLimit', settings.namespaceListLimit, 1);
  assertRange(owner, 'joinFanoutLimit', settings.joinFanoutLimit, 1);
  assertRange(owner, 'waitTimeoutMs', settings.waitTimeoutMs, 1);
  assertRange(owner, 'execTimeoutMs', settings.execTimeoutMs, 1);
  assertRange(owner, 'pendingTooLongMs', settings.pendingTooLongMs, 0);
  assertRange(owner, 'notReadyTooLongMs', settings.notReadyTooLongMs, 0);
  assertRange(owner, 'recentFailureMs', settings.recentFailureMs, 0);
  return settings;
}
