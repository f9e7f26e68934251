import { isUnreachable, statusOf } from '../cluster/kubeErrors.js';
import { ENDPOINT_SLICES, ENDPOINTS, PODS, resourcePath, SERVICES } from '../cluster/resources.js';
import type { WatchCache } from '../cluster/watchCache.js';
import type { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import {
  CallTimeoutError,
  ClosedError,
  ForbiddenError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  KubeObjectNotFoundError,
  KubeSmartError,
  ServiceNotFoundError,
} from '../errors.js';
import { withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Endpoint, Logger } from '../types.js';
import { checkPermissions, type PermissionReport } from './checkPermissions.js';
import { endpointFingerprint, normalizeEndpoints } from './endpointFingerprint.js';
import { endpointsFromLegacy } from './endpointsFromLegacy.js';
import { endpointsFromPods } from './endpointsFromPods.js';
import { endpointsFromSlices } from './endpointsFromSlices.js';
import { type Follow, type FollowListener, followCache } from './followCache.js';
import type { EndpointPort, EndpointSlice, LegacyEndpoints, Pod, Service } from './kubeShapes.js';
import { ReadyWaiters } from './readyWaiters.js';
import {
  type DiscoverySource,
  SERVICE_DISCOVERY_DEFAULTS,
  type ServiceDiscoveryEvents,
  type ServiceDiscoveryOptions,
  type ServiceDiscoveryStatus,
} from './serviceDiscoveryOptions.js';
import { choosePort, missingTargetPort, type PortChoice } from './servicePort.js';
import { serviceOfSlice, sourceScope } from './sourceScopes.js';

const SERVICE_INDEX = 'service-name';

/**
 * Discovers the endpoints of one Service from the shared watch caches: the Service (for its ports),
 * then its EndpointSlices (merged), falling back to Endpoints when slices are absent or forbidden, or
 * its pods by label. Emits `change` with the whole list on every real change; keeps the last known
 * list, marked stale, while the API is unreachable.
 */
export class ServiceDiscovery extends TypedEmitter<ServiceDiscoveryEvents> {
  readonly service: string;
  readonly namespace: string;
  readonly #options: ServiceDiscoveryOptions;
  readonly #registry: WatchCacheRegistry;
  readonly #logger: Logger;
  readonly #services: Follow;
  readonly #waiters: ReadyWaiters<readonly Endpoint[]>;
  readonly #listener: FollowListener = {
    refresh: () => this.#refresh(),
    error: (cache, error) => this.#onError(cache, error),
    staleChanged: () => this.#updateStale(),
  };
  #source: DiscoverySource;
  #follow: Follow | undefined;
  #endpoints: readonly Endpoint[] = Object.freeze([]);
  #fingerprint: string | undefined;
  #startError: KubeSmartError | undefined;
  #lastError: KubeSmartError | undefined;
  #legacyCheck: 'pending' | 'done' | undefined;
  #stale = true;
  #closed = false;

  constructor(options: ServiceDiscoveryOptions) {
    const settings = withDefaults(SERVICE_DISCOVERY_DEFAULTS, options);
    super(settings.logger);
    this.service = options.service;
    this.namespace = settings.namespace;
    this.#options = { ...options, ...settings };
    this.#registry = options.registry;
    this.#source = settings.source;
    this.#waiters = new ReadyWaiters(settings.clock);
    this.#logger =
      settings.logger.child?.({ service: this.service, namespace: this.namespace }) ?? settings.logger;
    if (!this.service)
      throw new InvalidArgumentError('ServiceDiscovery: option `service` must name a Service.');
    const byName = settings.watchScope === 'service' ? `metadata.name=${this.service}` : undefined;
    const scope = { resource: SERVICES, namespace: this.namespace, fieldSelector: byName };
    this.#services = followCache(
      this.#registry,
      scope,
      (o) => o.metadata?.name === this.service,
      this.#listener,
    );
    this.#refresh();
  }

  /** The current endpoints, sorted by id. */
  endpoints(): readonly Endpoint[] {
    return this.#endpoints;
  }

  /**
   * Resolves with the endpoints once a first list is known. Rejects with {@link ServiceNotFoundError},
   * {@link KubeAPIUnavailableError} (the API cannot be reached: the caller decides on a fallback),
   * {@link ForbiddenError}, or {@link CallTimeoutError} after `timeoutMs` (default 30 s).
   */
  ready(options: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<readonly Endpoint[]> {
    if (this.#fingerprint !== undefined) return Promise.resolve(this.#endpoints);
    if (this.#closed) return Promise.reject(new ClosedError(`discovery of ${this.#what()} is closed`));
    if (this.#startError) return Promise.reject(this.#startError);
    const timeoutMs = options.timeoutMs ?? 30_000;
    return this.#waiters.wait(timeoutMs, options.signal, () => {
      const last = this.#lastError ? ` Last error: ${this.#lastError.message}` : '';
      return new CallTimeoutError(
        `discovery of ${this.#what()} found no endpoint list within ${timeoutMs} ms.${last}`,
      );
    });
  }

  status(): ServiceDiscoveryStatus {
    return {
      service: this.service,
      namespace: this.namespace,
      source: this.#source,
      ready: this.#fingerprint !== undefined,
      stale: this.#stale,
      endpoints: this.#endpoints.length,
      mode: this.#follow?.cache.status().mode,
      lastError: this.#lastError,
    };
  }

  /** Checks get/list/watch on services, endpointslices, endpoints (and pods for `source: 'pods'`). */
  checkPermissions(signal?: AbortSignal): Promise<PermissionReport> {
    const resources = [SERVICES, ENDPOINT_SLICES, ENDPOINTS, ...(this.#source === 'pods' ? [PODS] : [])];
    return checkPermissions(this.#registry.client, { namespace: this.namespace, resources, signal });
  }

  /** Releases the shared caches and rejects pending `ready()` calls. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#services.stop();
    this.#follow?.stop();
    this.#follow = undefined;
    this.#waiters.rejectAll(new ClosedError(`discovery of ${this.#what()} was closed`));
    this.removeAllListeners();
  }

  #what(): string {
    return `Service "${this.service}" in namespace "${this.namespace}"`;
  }

  #sourceCache(): WatchCache {
    if (this.#follow) return this.#follow.cache;
    const { scope, relevant } = sourceScope(this.#source, {
      service: this.service,
      namespace: this.namespace,
      perService: this.#options.watchScope === 'service',
      labelSelector: this.#options.labelSelector,
    });
    this.#follow = followCache(this.#registry, scope, relevant, this.#listener);
    if (this.#source === 'endpointslices') this.#follow.cache.addIndex(SERVICE_INDEX, serviceOfSlice);
    return this.#follow.cache;
  }

  #refresh(): void {
    try {
      this.#resolve();
    } catch (error) {
      // Only a registry closed under a live discovery gets here.
      this.#fail(error instanceof KubeSmartError ? error : new ClosedError(String(error), { cause: error }));
    }
  }

  #resolve(): void {
    if (this.#closed || !this.#services.cache.synced()) return;
    const service = this.#services.cache.get(this.namespace, this.service) as Service | undefined;
    if (!service) {
      const hint = `kubectl get svc -n ${this.namespace}`;
      if (this.#fingerprint !== undefined) this.#publish([]);
      this.#fail(
        new ServiceNotFoundError(`${this.#what()} does not exist; check the name and namespace (${hint}).`),
      );
      return;
    }
    let choice: PortChoice;
    try {
      choice = choosePort(service, this.#options.port);
    } catch (error) {
      this.#fail(error as KubeSmartError);
      return;
    }
    const cache = this.#sourceCache();
    if (!cache.synced()) return;
    if (this.#source === 'pods') this.#publish(endpointsFromPods(cache.items() as Pod[], choice));
    else if (this.#source === 'endpoints') {
      const legacy = cache.get(this.namespace, this.service) as LegacyEndpoints | undefined;
      const ports = (legacy?.subsets ?? []).map((subset) => subset.ports);
      this.#publishUnlessPortMissing(service, choice, ports, () => endpointsFromLegacy(legacy, choice));
    } else {
      const slices = cache.byIndex(SERVICE_INDEX, this.service) as EndpointSlice[];
      if (slices.length === 0 && this.#legacyCheck !== 'done') {
        if (this.#legacyCheck === undefined) void this.#checkLegacy();
        return;
      }
      const ports = slices.map((slice) => slice.ports);
      this.#publishUnlessPortMissing(service, choice, ports, () => endpointsFromSlices(slices, choice));
    }
  }

  /** A port number neither the Service nor its pods have fails `ready()` with the ports there are. */
  #publishUnlessPortMissing(
    service: Service,
    choice: PortChoice,
    ports: readonly (readonly EndpointPort[] | null | undefined)[],
    endpoints: () => Endpoint[],
  ): void {
    const missing = missingTargetPort(service, choice, ports);
    if (missing && this.#fingerprint === undefined) this.#fail(missing);
    else this.#publish(endpoints());
  }

  /** No slice for the Service: use Endpoints instead if an Endpoints object with addresses exists. */
  async #checkLegacy(): Promise<void> {
    this.#legacyCheck = 'pending';
    let useLegacy = false;
    try {
      const path = resourcePath(ENDPOINTS, this.namespace, this.service);
      const found = await this.#registry.client.request<LegacyEndpoints>('GET', path);
      useLegacy = (found.subsets ?? []).some(
        (s) => (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0) > 0,
      );
    } catch (error) {
      this.#logger.debug({ err: error }, 'no Endpoints object to fall back to');
    }
    this.#legacyCheck = 'done';
    if (this.#closed) return;
    if (useLegacy) this.#switchSource('endpoints', 'the Service has no EndpointSlice but has Endpoints');
    else this.#refresh();
  }

  #switchSource(source: DiscoverySource, why: string): void {
    if (this.#source === source) return;
    this.#logger.info({ from: this.#source, to: source }, `discovery falls back to ${source}: ${why}`);
    this.#follow?.stop();
    this.#follow = undefined;
    this.#source = source;
    this.emit('source', source);
    this.#refresh();
    this.#updateStale();
  }

  #onError(cache: WatchCache, error: KubeSmartError): void {
    if (this.#closed) return;
    this.#lastError = error;
    this.emit('error', error);
    const fromSource = cache === this.#follow?.cache;
    const verb = error.details?.verb;
    const forbiddenToList = error instanceof ForbiddenError && verb !== 'watch';
    if (
      fromSource &&
      this.#source === 'endpointslices' &&
      (forbiddenToList || error instanceof KubeObjectNotFoundError)
    ) {
      this.#switchSource('endpoints', `EndpointSlices cannot be read (${statusOf(error)})`);
      return;
    }
    if (this.#fingerprint === undefined && (isUnreachable(error) || forbiddenToList)) this.#fail(error);
  }

  #fail(error: KubeSmartError): void {
    this.#startError = error;
    this.#lastError = error;
    if (error instanceof KubeAPIUnavailableError || error instanceof ForbiddenError) {
      this.#logger.warn({ err: error }, 'discovery cannot start yet; it keeps trying');
    }
    this.#waiters.rejectAll(error);
  }

  #publish(list: readonly Endpoint[]): void {
    const endpoints = normalizeEndpoints(list);
    const fingerprint = endpointFingerprint(endpoints);
    this.#startError = undefined;
    if (fingerprint === this.#fingerprint) {
      this.#updateStale();
      return;
    }
    const first = this.#fingerprint === undefined;
    this.#fingerprint = fingerprint;
    this.#endpoints = endpoints;
    this.#logger.debug({ endpoints: endpoints.length, first }, 'endpoints changed');
    this.#updateStale();
    this.#waiters.resolveAll(endpoints);
    this.emit('change', endpoints);
  }

  #updateStale(): void {
    const caches = [this.#services.cache, this.#follow?.cache];
    const stale = this.#fingerprint === undefined || caches.some((cache) => cache?.status().stale);
    if (stale === this.#stale) return;
    this.#stale = stale;
    this.emit('stale', stale);
  }
}
