import type { KubeSmart } from '../instance/kubeSmart.js';
import { optionsKey } from '../instance/optionsKey.js';
import { currentResolver, initResolver } from './initResolver.js';
import { type ResolverEnv, type ServiceOverrides, serviceOptionsFrom } from './resolverOptions.js';
import { SmartServiceHandle } from './smartServiceHandle.js';

/** Options of `kubeService()`: the seed's keyword arguments, camelCased. */
export interface KubeServiceOptions extends ServiceOverrides {
  /** @default the resolver's namespace */
  namespace?: string;
  /**
   * Move to another pod when the active one fails, and retry failed calls elsewhere.
   * @default true
   */
  failover?: boolean;
  /**
   * Discovery is pushed by watches; where watch is forbidden it polls this often, in seconds. Used
   * only when no `initResolver()` was called.
   * @default 8
   */
  cacheTtlSeconds?: number;
  /** Offline mode; used only when no `initResolver()` was called. @default from `env` */
  offline?: boolean;
  /** @deprecated The seed's name for `offline`; goes in 0.3.0. */
  mockMode?: boolean;
  /**
   * Longest wait for discovery and the first health checks, in ms.
   * @default 30000
   */
  timeoutMs?: number;
  /** Where the fallback and offline variables are read. @default process.env */
  env?: ResolverEnv;
}

/** The handles made so far, per resolver, by service name and options (the environment aside). */
const handles = new WeakMap<KubeSmart, Map<string, SmartServiceHandle>>();

function handleKey(name: string, options: KubeServiceOptions): string {
  let plain = true;
  for (const key in options) {
    if (key !== 'env' && options[key as keyof KubeServiceOptions] !== undefined) plain = false;
  }
  return plain ? name : `${name}|${optionsKey({ ...options, env: undefined })}`;
}

/**
 * Resolves a Service to a healthy pod endpoint, as kubeSmartService's `kube_service`: uses the
 * resolver from `initResolver()` (made from these options and the environment when there is
 * none), waits for discovery and the first health checks, and returns a {@link SmartServiceHandle}
 * with `host`, `port`, `activePod`, `availablePods` and `status()`, whose active endpoint accepted
 * a connection (see `handle.verified()`). The handle is made once per resolver, name and options:
 * a warm call costs a map lookup and the cached reachability check, whatever the replicas (the
 * environment is read when the handle is made). Rejects with `KubeAPIUnavailableError` (no
 * cluster and no fallback), `ServiceNotFoundError` or `NoHealthyEndpointsError`, each saying what
 * to do.
 */
export async function kubeService(
  name: string,
  options: KubeServiceOptions = {},
): Promise<SmartServiceHandle> {
  const warm = currentResolver();
  const key = handleKey(name, options);
  const cached = warm === undefined ? undefined : handles.get(warm)?.get(key);
  if (cached !== undefined && !cached.service.closed) return cached.verified();
  const env = options.env ?? process.env;
  const {
    namespace,
    failover = true,
    timeoutMs,
    cacheTtlSeconds,
    offline,
    mockMode,
    env: _env,
    ...overrides
  } = options;
  const resolver =
    currentResolver() ??
    initResolver({
      ...overrides,
      ...(cacheTtlSeconds === undefined ? {} : { cacheTtlSeconds }),
      ...(offline === undefined ? {} : { offline }),
      ...(mockMode === undefined ? {} : { mockMode }),
      env,
    });
  const serviceOptions = serviceOptionsFrom(overrides, env);
  if (!failover) serviceOptions.retry = { ...serviceOptions.retry, retries: 0 };
  const service = resolver.service(name, {
    ...serviceOptions,
    ...(namespace === undefined ? {} : { namespace }),
  });
  await service.ready({ healthChecked: true, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  let byKey = handles.get(resolver);
  if (byKey === undefined) {
    byKey = new Map();
    handles.set(resolver, byKey);
  }
  let handle = byKey.get(key);
  if (handle === undefined || handle.service !== service) {
    handle = new SmartServiceHandle(service, { failover });
    byKey.set(key, handle);
  }
  return handle.verified();
}
