import { loadKubeConfig } from '../cluster/loadKubeConfig.js';
import { KubeAPIUnavailableError } from '../errors.js';
import { KubeSmart } from '../instance/kubeSmart.js';
import type { KubeSmartOptions } from '../instance/kubeSmartOptions.js';
import { noopLogger } from '../logger.js';
import {
  fallbackFrom,
  type InitResolverOptions,
  OFFLINE_ENDPOINT,
  offlineFromEnv,
  serviceOptionsFrom,
} from './resolverOptions.js';

let current: KubeSmart | undefined;

/** The resolver `initResolver()` made, if any. */
export function currentResolver(): KubeSmart | undefined {
  return current;
}

/**
 * Initializes the process-wide resolver once at startup, as kubeSmartService's `init_resolver`:
 * reads `KUBESMART_OFFLINE` (or its aliases `KUBESMART_MOCK`/`KUBESMARTSERVICE_MOCK`) and `KUBE_FALLBACK_HOST`/`KUBE_FALLBACK_PORT`
 * from `options.env` (default `process.env`), loads the kubeconfig, and returns the `KubeSmart`
 * behind it. In mock mode (or when no kubeconfig can be loaded but a fallback is configured) no
 * cluster is contacted and every service resolves to the fallback (else 127.0.0.1:8000 in mock
 * mode). Calling it again replaces (and closes) the previous resolver.
 */
export function initResolver(options: InitResolverOptions = {}): KubeSmart {
  const env = options.env ?? process.env;
  const logger = options.logger ?? noopLogger;
  const defaults = serviceOptionsFrom(options, env);
  const offline = options.offline ?? options.mockMode ?? offlineFromEnv(env);
  const base: KubeSmartOptions = {
    logger,
    defaults,
    ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
    ...(options.cacheTtlSeconds === undefined
      ? {}
      : { watch: { pollIntervalMs: options.cacheTtlSeconds * 1000 } }),
  };
  let resolver: KubeSmart;
  if (offline) {
    // As the seed's mock mode: the endpoint is used as is, without health checks.
    const fallback = defaults.fallback ?? OFFLINE_ENDPOINT;
    resolver = new KubeSmart({ ...base, offline: true, defaults: { ...defaults, fallback, health: false } });
  } else {
    try {
      const kubeConfig = options.kubeConfig ?? loadKubeConfig({ env: env as NodeJS.ProcessEnv });
      resolver = new KubeSmart({ ...base, kubeConfig });
    } catch (error) {
      if (!(error instanceof KubeAPIUnavailableError) || fallbackFrom(options, env) === undefined)
        throw error;
      logger.warn(
        { err: error },
        'no Kubernetes configuration; every service resolves to the fallback endpoint',
      );
      resolver = new KubeSmart({ ...base, offline: true });
    }
  }
  const previous = current;
  current = resolver;
  if (previous) {
    previous
      .close()
      .catch((error: unknown) => logger.warn({ err: error }, 'the previous resolver did not close cleanly'));
  }
  return resolver;
}

/** Closes the resolver made by `initResolver()` (or implicitly by `kubeService()`). Idempotent. */
export async function closeResolver(): Promise<void> {
  const resolver = current;
  current = undefined;
  await resolver?.close();
}
