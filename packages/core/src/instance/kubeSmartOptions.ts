import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeClientOptions } from '../cluster/kubeClient.js';
import type { WatchCacheSettings } from '../cluster/watchCacheOptions.js';
import type { SmartServiceOptions } from '../service/smartServiceOptions.js';
import type { Clock, Logger, Random } from '../types.js';
import type { MetricsOptions } from './metrics.js';

/** Watch cache settings shared by every cache of a KubeSmart (timers and logs come from it). */
export type WatchSettings = Omit<WatchCacheSettings, 'logger' | 'clock' | 'random'>;

/** Settings of the Kubernetes API client. */
export type ClientSettings = Omit<KubeClientOptions, 'kubeConfig' | 'logger' | 'clock'>;

/** Options of `createKubeSmart()`. Every field is optional. */
export interface KubeSmartOptions {
  /**
   * Where the API server is and how to authenticate.
   * @default loadKubeConfig(): in-cluster, then KUBECONFIG, then ~/.kube/config
   */
  kubeConfig?: KubeConfig;
  /**
   * Namespace of services named without one.
   * @default the kubeconfig context's namespace (the pod's own in-cluster), else 'default'
   */
  namespace?: string;
  /**
   * A pino-compatible logger; records carry `name: 'kubesmart'`.
   * @default a logger that drops everything
   */
  logger?: Logger;
  /** @default the system clock */
  clock?: Clock;
  /** @default Math.random */
  random?: Random;
  /**
   * This process's zone, for services with `zoneAware`.
   * @default undefined
   */
  zone?: string;
  /**
   * Watch cache settings (mode, poll interval, stall timeout, backoff) for every watched resource.
   * @default { mode: 'auto', pollIntervalMs: 8000, stallTimeoutMs: 90000, initialBackoffMs: 500, maxBackoffMs: 30000 }
   */
  watch?: WatchSettings;
  /**
   * Kubernetes API client settings.
   * @default { requestTimeoutMs: 30000, retryAfterRetries: 2, maxRetryAfterMs: 10000, userAgent: 'kubesmart' }
   */
  client?: ClientSettings;
  /**
   * Options every `ks.service()` starts from (each service's own options win).
   * @default {} (see SmartServiceOptions for each default)
   */
  defaults?: SmartServiceOptions;
  /**
   * Check once per namespace, at the first service, which of the needed permissions are missing
   * (SelfSubjectAccessReview), log each, and report them in `status().permissions`.
   * @default true
   */
  checkPermissions?: boolean;
  /**
   * Prometheus metrics through prom-client (an optional peer dependency).
   * @default undefined (no metrics)
   */
  metrics?: MetricsOptions;
  /**
   * Run without a cluster: no Kubernetes API is contacted and every service uses its `fallback`
   * (kubeSmartService's mock mode). Without a `kubeConfig`, an instance for which
   * `loadKubeConfig()` finds none runs this way too: services with a fallback serve it, and the
   * others, `kv()` and `query` throw `KubeAPIUnavailableError` saying what is missing.
   * @default false
   */
  offline?: boolean;
}
