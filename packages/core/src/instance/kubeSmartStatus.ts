import type { KubeClientStats } from '../cluster/kubeClient.js';
import type { WatchCacheStatus } from '../cluster/watchCacheOptions.js';
import type { KubeAPIUnavailableError } from '../errors.js';
import type { ServiceStatus } from '../service/serviceStatus.js';

/** A snapshot of a whole KubeSmart. */
export interface KubeSmartStatus {
  readonly namespace: string;
  readonly offline: boolean;
  readonly closed: boolean;
  readonly services: readonly ServiceStatus[];
  /** Every shared watch cache, by scope, with its consumers (`refs`). */
  readonly watches: Readonly<Record<string, WatchCacheStatus & { refs: number }>>;
  /** Requests sent to the API server; undefined offline. */
  readonly api: KubeClientStats | undefined;
  /**
   * Why this instance runs without a cluster although `offline` was not asked for: no kubeConfig
   * was given and none could be loaded. Undefined otherwise.
   */
  readonly apiError: KubeAPIUnavailableError | undefined;
}
