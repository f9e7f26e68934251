import { setMaxListeners } from 'node:events';
import { systemClock } from '../clock.js';
import { KubeClient } from '../cluster/kubeClient.js';
import { loadKubeConfig } from '../cluster/loadKubeConfig.js';
import { ENDPOINT_SLICES, ENDPOINTS, PODS, SERVICES } from '../cluster/resources.js';
import { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import { checkPermissions, type PermissionReport } from '../discovery/checkPermissions.js';
import type { EngineContext } from '../engineContext.js';
import { ClosedError, InvalidArgumentError, KubeAPIUnavailableError } from '../errors.js';
import { KvBucket } from '../kv/kvBucket.js';
import type { KvBucketOptions } from '../kv/kvTypes.js';
import { noopLogger } from '../logger.js';
import { QueryEngine } from '../query/queryEngine.js';
import { SmartService } from '../service/smartService.js';
import { resolveServiceOptions, type SmartServiceOptions } from '../service/smartServiceOptions.js';
import type { Clock, Logger, Random } from '../types.js';
import type { KubeSmartOptions } from './kubeSmartOptions.js';
import type { KubeSmartStatus } from './kubeSmartStatus.js';
import { type PromClientLike, registerMetrics } from './metrics.js';
import { optionsKey } from './optionsKey.js';

/**
 * One instance of the mesh: a Kubernetes client, the shared watch caches, and the services made
 * from them. Make it once per process with {@link createKubeSmart}; `close()` stops everything.
 */
export class KubeSmart {
  /** Namespace of services named without one. */
  readonly namespace: string;
  /** Runs without a cluster: every service uses its fallback. */
  readonly offline: boolean;
  readonly #options: KubeSmartOptions;
  readonly #context: EngineContext | undefined;
  /** Set when no kubeConfig was given and none could be loaded. */
  readonly #unconfigured: KubeAPIUnavailableError | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #random: Random;
  readonly #services = new Map<string, SmartService>();
  readonly #buckets = new Map<string, KvBucket<unknown>>();
  #query: QueryEngine | undefined;
  readonly #permissions = new Map<string, PermissionReport | undefined>();
  readonly #lifetime = new AbortController();
  #unregisterMetrics: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(options: KubeSmartOptions = {}) {
    this.#options = options;
    // One abort listener per permission review in flight (a dozen per namespace): not a leak.
    setMaxListeners(0, this.#lifetime.signal);
    this.#logger = options.logger ?? noopLogger;
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    const logger = this.#logger.child?.({ name: 'kubesmart' }) ?? this.#logger;
    const loaded = options.offline === true ? undefined : (options.kubeConfig ?? tryLoadKubeConfig());
    this.#unconfigured = loaded instanceof KubeAPIUnavailableError ? loaded : undefined;
    this.offline = options.offline === true || this.#unconfigured !== undefined;
    if (this.#unconfigured) {
      logger.warn(
        { err: this.#unconfigured },
        'no Kubernetes configuration: services with a fallback use it; others cannot be resolved',
      );
    }
    if (loaded === undefined || loaded instanceof KubeAPIUnavailableError) {
      this.namespace = options.namespace ?? 'default';
      this.#context = undefined;
    } else {
      const kubeConfig = loaded;
      const contextNamespace = kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace;
      this.namespace = options.namespace ?? contextNamespace ?? 'default';
      const client = new KubeClient({ ...options.client, kubeConfig, logger, clock: this.#clock });
      const registry = new WatchCacheRegistry({
        ...options.watch,
        client,
        logger,
        clock: this.#clock,
        random: this.#random,
      });
      this.#context = Object.freeze({
        client,
        registry,
        namespace: this.namespace,
        logger,
        clock: this.#clock,
        random: this.#random,
      });
    }
    if (options.metrics) this.#startMetrics(logger);
  }

  /** What engines built on this instance share (client, watch caches, logger, clock). Not offline. */
  get context(): EngineContext {
    if (this.#unconfigured) {
      throw new KubeAPIUnavailableError(
        `This KubeSmart has no Kubernetes client: ${this.#unconfigured.message}`,
        { cause: this.#unconfigured },
      );
    }
    if (this.#context === undefined) {
      throw new InvalidArgumentError(
        'This KubeSmart is offline: it has no Kubernetes client or watch caches.',
      );
    }
    return this.#context;
  }

  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * The service `name` (in `options.namespace` or this instance's namespace). The same name,
   * namespace and options give the same `SmartService`.
   */
  service(name: string, options?: SmartServiceOptions): SmartService {
    if (this.#closing)
      throw new ClosedError(`ks.service("${name}") was called after ks.close(); create a new KubeSmart.`);
    if (typeof name !== 'string' || name === '') {
      throw new InvalidArgumentError('ks.service(name): name must be the name of a Kubernetes Service.');
    }
    const resolved = resolveServiceOptions(
      this.namespace,
      { zone: this.#options.zone, ...this.#options.defaults },
      options,
    );
    const key = `${name}|${optionsKey(resolved)}`;
    const existing = this.#services.get(key);
    if (existing) return existing;
    if (this.#unconfigured && resolved.fallback === undefined) {
      throw new KubeAPIUnavailableError(
        `Service "${name}" cannot be resolved: ${this.#unconfigured.message.replace(/\.$/, '')}. Or give ks.service("${name}", { fallback: { host, port } }) (or createKubeSmart({ defaults: { fallback } })) an endpoint to use.`,
        { cause: this.#unconfigured, details: { service: name, namespace: resolved.namespace } },
      );
    }
    const permissionKey = `${resolved.namespace}|${resolved.source === 'pods' ? 'pods' : 'endpoints'}`;
    const service = new SmartService({
      name,
      options: resolved,
      registry: this.#context?.registry,
      clock: this.#clock,
      random: this.#random,
      logger: this.#logger,
      permissions: () => this.#permissions.get(permissionKey),
      onClose: () => {
        if (this.#services.get(key) === service) this.#services.delete(key);
      },
    });
    this.#services.set(key, service);
    this.#checkPermissions(permissionKey, resolved.namespace, resolved.source === 'pods');
    return service;
  }

  /**
   * A key/value bucket over ConfigMaps or Secrets on this instance's client and watch caches (see
   * `KvBucket`). The same name and options give the same bucket; `close()` closes it. Not offline.
   */
  kv<T = string | Buffer>(name: string, options?: KvBucketOptions<T>): KvBucket<T> {
    if (this.#closing)
      throw new ClosedError(`ks.kv("${name}") was called after ks.close(); create a new KubeSmart.`);
    const key = `${name}|${optionsKey(options)}`;
    let bucket = this.#buckets.get(key) as KvBucket<T> | undefined;
    if (bucket === undefined) {
      bucket = new KvBucket<T>({ ...options, name, context: this.context });
      this.#buckets.set(key, bucket as KvBucket<unknown>);
    }
    return bucket;
  }

  /** The query engine over this instance's client and watch caches (see `QueryEngine`). Not offline. */
  get query(): QueryEngine {
    if (this.#closing) throw new ClosedError('ks.query was used after ks.close(); create a new KubeSmart.');
    this.#query ??= new QueryEngine({ context: this.context });
    return this.#query;
  }

  /** Every open service. */
  services(): SmartService[] {
    return [...this.#services.values()];
  }

  status(): KubeSmartStatus {
    return {
      namespace: this.namespace,
      offline: this.offline,
      closed: this.closed,
      services: this.services().map((service) => service.status()),
      watches: this.#context?.registry.status() ?? {},
      api: this.#context?.client.stats(),
      apiError: this.#unconfigured,
    };
  }

  /** Stops every service, watch, timer and socket. Idempotent; later calls reject with `ClosedError`. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#lifetime.abort(new ClosedError('the KubeSmart was closed'));
      this.#unregisterMetrics?.();
      await Promise.all(this.services().map((service) => service.close()));
      for (const bucket of this.#buckets.values()) bucket.close();
      this.#buckets.clear();
      this.#context?.registry.close();
      this.#context?.client.close();
    })();
    return this.#closing;
  }

  /** Checks once per namespace (and source kind) which permissions are missing; logs each. */
  #checkPermissions(key: string, namespace: string, pods: boolean): void {
    const context = this.#context;
    if (context === undefined || this.#options.checkPermissions === false || this.#permissions.has(key))
      return;
    this.#permissions.set(key, undefined);
    const resources = [SERVICES, ENDPOINT_SLICES, ENDPOINTS, ...(pods ? [PODS] : [])];
    checkPermissions(context.client, { namespace, resources, signal: this.#lifetime.signal }).then(
      (report) => {
        this.#permissions.set(key, report);
        if (!report.ok) {
          context.logger.warn(
            { namespace, missing: report.missing.map((c) => `${c.verb} ${c.resource}`) },
            `some permissions are missing; discovery works around them where it can:\n${report.message}`,
          );
        }
      },
      (error: unknown) => {
        if (this.#lifetime.signal.aborted) return;
        context.logger.info(
          { err: error, namespace },
          'could not check permissions (SelfSubjectAccessReview)',
        );
      },
    );
  }

  #startMetrics(logger: Logger): void {
    const metrics = this.#options.metrics!;
    const register = (client: PromClientLike): void => {
      if (this.#closing) return;
      this.#unregisterMetrics = registerMetrics(client, metrics, () => this.status(), logger);
    };
    if (metrics.client) {
      register(metrics.client);
      return;
    }
    import('prom-client').then(
      (client) => register(client as unknown as PromClientLike),
      (error: unknown) =>
        logger.warn(
          { err: error },
          'metrics are enabled but prom-client cannot be loaded; install it (npm i prom-client) or pass `metrics.client`',
        ),
    );
  }
}

/** `loadKubeConfig()`, or the reason it found no configuration. */
function tryLoadKubeConfig(): ReturnType<typeof loadKubeConfig> | KubeAPIUnavailableError {
  try {
    return loadKubeConfig();
  } catch (error) {
    if (error instanceof KubeAPIUnavailableError) return error;
    throw error;
  }
}

/**
 * Creates the mesh: `ks.service(name)` then resolves, balances and calls. Without `kubeConfig` it
 * loads one with `loadKubeConfig()` (in-cluster, KUBECONFIG, ~/.kube/config); when none is found
 * it does not throw but runs offline: services with a fallback use it, and the others throw
 * `KubeAPIUnavailableError` saying what is missing (see `status().apiError`).
 */
export function createKubeSmart(options?: KubeSmartOptions): KubeSmart {
  return new KubeSmart(options);
}
