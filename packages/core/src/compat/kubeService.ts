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
  /** Mock mode; used only when no `initResolver()` was called. @default from `env` */
  mockMode?: boolean;
  /**
   * Longest wait for discovery and the first health checks, in ms.
   * @default 30000
   */
  timeoutMs?: number;
  /** Where the fallback and mock variables are read. @default process.env */
  env?: ResolverEnv;
}

/**
 * Resolves a Service to a healthy pod endpoint, as kubeSmartService's `kube_service`: uses the
 * resolver from `initResolver()` (made from these options and the environment when there is
 * none), waits for discovery and the first health checks, and returns a {@link SmartServiceHandle}
 * with `host`, `port`, `activePod`, `availablePods` and `status()`. Rejects with
 * `KubeAPIUnavailableError` (no cluster and no fallback), `ServiceNotFoundError` or
 * `NoHealthyEndpointsError`, each saying what to do.
 */
export async function kubeService(
  name: string,
  options: KubeServiceOptions = {},
): Promise<SmartServiceHandle> {
  const env = options.env ?? process.env;
  const {
    namespace,
    failover = true,
    timeoutMs,
    cacheTtlSeconds,
    mockMode,
    env: _env,
    ...overrides
  } = options;
  const resolver =
    currentResolver() ??
    initResolver({
      ...overrides,
      ...(cacheTtlSeconds === undefined ? {} : { cacheTtlSeconds }),
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
  const handle = new SmartServiceHandle(service, { failover });
  void handle.endpoint;
  return handle;
}
