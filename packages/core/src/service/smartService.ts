import type { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import { createEndpoint } from '../createEndpoint.js';
import { ServiceDiscovery } from '../discovery/serviceDiscovery.js';
import {
  CallTimeoutError,
  ClosedError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  type KubeSmartError,
} from '../errors.js';
import {
  noEndpointAdvice,
  noEndpointError,
  type ServiceTarget,
  unreachableError,
} from '../resilience/noEndpointError.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Clock, Endpoint, Logger } from '../types.js';
import { reportOutcome, stateOf } from './callerOutcomes.js';
import { type Explanation, explain } from './explain.js';
import { type FailoverExecute, httpFetch, type SmartFetchInit, type SmartResponse } from './httpFetch.js';
import { applyEndpoints, buildEngines, closeEngines, type ServiceEngines } from './serviceEngines.js';
import { type EndpointStatus, endpointStatuses, type ServiceStatus, serviceStatus } from './serviceStatus.js';
import type { ResolvedServiceOptions } from './smartServiceOptions.js';
import type {
  ReadyOptions,
  ReportOptions,
  SmartCallOptions,
  SmartServiceEvents,
  SmartServiceInit,
} from './smartServiceTypes.js';

/**
 * One Kubernetes Service as seen by its callers: discovery feeds endpoints to health checks,
 * outlier detection and circuit breakers; a balancer picks among the available ones; `call()` and
 * `fetch()` fail over to another endpoint. Made by `ks.service()`; closed by `ks.close()`.
 */
export class SmartService extends TypedEmitter<SmartServiceEvents> {
  readonly name: string;
  readonly namespace: string;
  readonly options: ResolvedServiceOptions;
  readonly #engines: ServiceEngines;
  readonly #discovery: ServiceDiscovery | undefined;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #init: SmartServiceInit;
  #fallback = false;
  #ready = false;
  #active: Endpoint | undefined;
  #lastError: KubeSmartError | undefined;
  #closing: Promise<void> | undefined;
  #listed: { from: unknown; endpoints: readonly Endpoint[] } | undefined;

  constructor(init: SmartServiceInit) {
    const logger =
      init.logger.child?.({ name: 'kubesmart', service: init.name, namespace: init.options.namespace }) ??
      init.logger;
    super(logger);
    const o = init.options;
    this.name = init.name;
    this.namespace = o.namespace;
    this.options = o;
    this.#init = init;
    this.#clock = init.clock;
    this.#logger = logger;
    if (init.registry === undefined && o.fallback === undefined) {
      throw new InvalidArgumentError(
        `Service "${init.name}": offline mode has no cluster to discover it in; give it a \`fallback: { host, port }\` (or set KUBE_FALLBACK_HOST/KUBE_FALLBACK_PORT for initResolver()).`,
      );
    }
    this.#engines = buildEngines(o, { service: init.name, clock: init.clock, random: init.random, logger });
    this.#forwardEngineEvents();
    this.#discovery = init.registry === undefined ? undefined : this.#discover(init.registry);
    if (this.#discovery === undefined) this.#useFallback(undefined);
  }

  /**
   * Resolves once a first endpoint list is known, or the fallback is in force (API unreachable, or
   * no answer within `timeoutMs`, with a `fallback` configured). Rejects with `ServiceNotFoundError`,
   * `KubeAPIUnavailableError` (no fallback), `ForbiddenError`, `CallTimeoutError` or `ClosedError`.
   */
  async ready(options: ReadyOptions = {}): Promise<readonly Endpoint[]> {
    const endpoints = await this.#discovered(options);
    if (options.healthChecked && this.#engines.health) {
      await this.#engines.health.initialized();
      if (this.#closing) throw this.#closedError();
      return this.#list();
    }
    return endpoints;
  }

  async #discovered(options: ReadyOptions): Promise<readonly Endpoint[]> {
    if (this.#closing) throw this.#closedError();
    if (this.#ready || this.#discovery === undefined) return this.#list();
    try {
      const wanted = options.timeoutMs ?? this.options.readyTimeoutMs;
      // With a fallback there is something to call meanwhile: use it after fallbackAfterMs.
      const timeoutMs = this.options.fallback ? Math.min(wanted, this.options.fallbackAfterMs) : wanted;
      await this.#discovery.ready({ timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
      return this.#list();
    } catch (error) {
      if (this.#closing) throw this.#closedError(error);
      if (this.#ready) return this.#list();
      const unreachable = error instanceof KubeAPIUnavailableError || error instanceof CallTimeoutError;
      if (unreachable && this.options.fallback && !options.signal?.aborted) {
        this.#useFallback(error as KubeSmartError);
        return this.#list();
      }
      if (error instanceof KubeAPIUnavailableError) {
        throw new KubeAPIUnavailableError(
          `${this.#what()} cannot be resolved: ${error.message.replace(/\.$/, '')}. Or give ks.service("${this.name}", { fallback: { host, port } }) an endpoint to use meanwhile.`,
          { cause: error, details: { ...error.details, service: this.name, namespace: this.namespace } },
        );
      }
      throw error;
    }
  }

  /** The endpoint the balancer picks now. Throws `NoHealthyEndpointsError` (saying what to do) or `ClosedError`. */
  pick(key?: string): Endpoint {
    if (this.#closing) throw this.#closedError();
    const state = this.#engines.picker.pick(key);
    if (state === undefined) throw this.#noEndpoint();
    this.#active = state.endpoint;
    return state.endpoint;
  }

  /**
   * The endpoint the balancer picks, checked to accept connections unless it was seen reachable
   * within `reachability.ttlMs` (a passing health check, a served call, a reported success): the
   * kubeSmartService's connect-before-answer, at the cost of a `pick()` while traffic or checks flow. An
   * unreachable endpoint is taken out (as `report()` would) and another is picked. Waits for
   * `ready()` first. Rejects with `NoHealthyEndpointsError` or `ClosedError`.
   */
  async pickReachable(key?: string): Promise<Endpoint> {
    await this.#beforeCall();
    const { state, reason } = await this.#engines.reachable.pick(key);
    if (this.#closing) throw this.#closedError();
    if (state === undefined) throw unreachableError(this.#noEndpoint(), reason);
    this.#active = state.endpoint;
    return state.endpoint;
  }

  /**
   * Tells the mesh how a request that the caller sent itself (to an endpoint from `pick()`,
   * `pickReachable()` or `svc.host`) went: no `error` for a success, else the error the caller's
   * client raised. Connection failures, timeouts and 5xx statuses count against the endpoint: its
   * breaker, outlier detection and a health check now; a refused connection takes it out at once.
   * Caller errors (4xx, bugs) do not. Returns false for an endpoint the service no longer has.
   */
  report(endpoint: Endpoint, error?: unknown, options: ReportOptions = {}): boolean {
    const state = this.#closing ? undefined : stateOf(this.#engines.set, endpoint);
    if (state === undefined) return false;
    reportOutcome(this.#engines, state, error, options.latencyMs, this.#clock.now());
    return true;
  }

  /**
   * Whether `endpoint` accepts connections: `true` at once when it was seen reachable within
   * `reachability.ttlMs`, else a promise of a TCP check's answer (an unreachable endpoint is taken
   * out as by `report()`). False for an endpoint the service no longer has.
   */
  checkReachable(endpoint: Endpoint): boolean | Promise<boolean> {
    const state = this.#closing ? undefined : stateOf(this.#engines.set, endpoint);
    if (state === undefined) return false;
    const verified = this.#engines.reachable.verify(state);
    return verified === true ? true : verified.then((result) => result.ok);
  }

  /** Whether `endpoint` is one of this service's and can take requests now; a map lookup. */
  isAvailable(endpoint: Endpoint): boolean {
    return stateOf(this.#engines.set, endpoint)?.available ?? false;
  }

  /**
   * Gives every endpoint a fresh start: closes open and half-open circuit breakers and lifts outlier
   * ejections now (kubeSmartService's `POST /mesh/reset/:service`). Health checks and learned latency stay.
   */
  reset(): void {
    if (this.#closing) throw this.#closedError();
    for (const state of this.#engines.set.all) {
      this.#engines.breaker?.reset(state);
      this.#engines.outliers?.restore(state);
    }
  }

  /** Every endpoint with its health, ejection, breaker state and traffic stats. */
  endpoints(): EndpointStatus[] {
    return endpointStatuses(this.#engines, this.#clock.now());
  }

  /**
   * Runs `fn` against picked endpoints with failover (see `SmartCallOptions`; not idempotent unless
   * said). Waits for `ready()` first. Rejects with the failover's error (`UpstreamError` with advice,
   * `CircuitOpenError`, `RetryBudgetExhaustedError`, ...) when attempts run out.
   */
  async call<T>(
    fn: (endpoint: Endpoint, signal: AbortSignal) => Promise<T>,
    options?: SmartCallOptions,
  ): Promise<T> {
    await this.#beforeCall();
    try {
      return await this.#execute((state, signal) => fn(state.endpoint, signal), options);
    } catch (error) {
      throw this.#closing ? this.#closedError(error) : error;
    }
  }

  /**
   * HTTP over the picked endpoints with failover, on a keep-alive undici pool per endpoint.
   * `input` is a path (`/orders?id=1`) or a URL whose origin is replaced. Idempotency follows the
   * method unless `init.idempotent` says otherwise. 4xx come back as responses; after the last
   * attempt a 5xx comes back as the response; connection errors and timeouts reject.
   */
  async fetch(input: string | URL, init?: SmartFetchInit): Promise<SmartResponse> {
    await this.#beforeCall();
    try {
      return await httpFetch(this.#execute, this.#engines.pools, input, init);
    } catch (error) {
      throw this.#closing ? this.#closedError(error) : error;
    }
  }

  status(): ServiceStatus {
    return serviceStatus(this.#engines, {
      service: this.name,
      namespace: this.namespace,
      source: this.#source(),
      ready: this.#ready,
      stale: this.#stale(),
      offline: this.#discovery === undefined,
      closed: this.#closing !== undefined,
      discovery: this.#discovery?.status(),
      permissions: this.#init.permissions?.(),
      lastError: this.#lastError,
      active: this.#active,
      now: this.#clock.now(),
    });
  }

  /** Why the balancer picks this endpoint now and why others are out (runs one real pick). */
  explain(key?: string): Explanation {
    return explain(this.#engines, key, {
      service: this.name,
      namespace: this.namespace,
      source: this.#source(),
      stale: this.#stale(),
      zone: this.options.zone,
      now: this.#clock.now(),
      advice: noEndpointAdvice(this.#target()),
    });
  }

  /** Whether discovery answered or the fallback is in force. */
  get isReady(): boolean {
    return this.#ready;
  }

  /** Whether the fallback endpoint is in force (offline, or discovery has not answered yet). */
  get usesFallback(): boolean {
    return this.#fallback || this.#discovery === undefined;
  }

  /** Whether `close()` was called (by this service's KubeSmart, usually). */
  get closed(): boolean {
    return this.#closing !== undefined;
  }

  /** Stops discovery, health checks, timers and connection pools. Idempotent; `ks.close()` calls it. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      this.#discovery?.close();
      this.#init.onClose?.();
      await closeEngines(this.#engines);
      this.removeAllListeners();
    })();
    return this.#closing;
  }

  #discover(registry: WatchCacheRegistry): ServiceDiscovery {
    const o = this.options;
    const discovery = new ServiceDiscovery({
      registry,
      service: this.name,
      namespace: o.namespace,
      source: o.source,
      watchScope: o.watchScope,
      logger: this.#logger,
      clock: this.#clock,
      ...(o.port === undefined ? {} : { port: o.port }),
      ...(o.labelSelector === undefined ? {} : { labelSelector: o.labelSelector }),
    });
    discovery.on('change', (endpoints) => this.#setEndpoints(endpoints, false));
    discovery.on('stale', (stale) => this.emit('stale', stale));
    discovery.on('error', (error) => {
      this.#lastError = error;
      this.emit('error', error);
    });
    // Caches shared with an earlier service may be synced already: discovery answered in its constructor.
    if (discovery.status().ready) this.#setEndpoints(discovery.endpoints(), false);
    return discovery;
  }

  /** Runs attempts through the failover, noting the endpoint of each as the active one. */
  readonly #execute: FailoverExecute = (fn, options) =>
    this.#engines.failover.execute((state, signal) => {
      this.#active = state.endpoint;
      return fn(state, signal);
    }, options);

  #forwardEngineEvents(): void {
    const { health, outliers, breaker, failover } = this.#engines;
    health?.on('health', (event) => this.emit('health', event));
    outliers?.on('ejected', (event) => this.emit('ejected', event));
    outliers?.on('restored', (event) => this.emit('restored', event));
    breaker?.on('breaker', (event) => this.emit('breaker', event));
    failover.on('failover', (event) => this.emit('failover', event));
  }

  #useFallback(cause: KubeSmartError | undefined): void {
    const fallback = this.options.fallback!;
    if (cause) {
      this.#lastError = cause;
      this.#logger.warn(
        { err: cause, fallback: `${fallback.host}:${fallback.port}` },
        `${this.#what()} cannot be discovered now; using the fallback ${fallback.host}:${fallback.port} until discovery answers`,
      );
    }
    this.#setEndpoints([createEndpoint({ host: fallback.host, port: fallback.port })], true);
  }

  #setEndpoints(endpoints: readonly Endpoint[], fallback: boolean): void {
    if (this.#closing) return;
    if (this.#fallback && !fallback)
      this.#logger.info({ endpoints: endpoints.length }, 'discovery answered; leaving the fallback');
    this.#fallback = fallback;
    this.#ready = true;
    applyEndpoints(this.#engines, endpoints);
    this.emit('change', endpoints);
  }

  async #beforeCall(): Promise<void> {
    if (this.#closing) throw this.#closedError();
    if (!this.#ready) await this.ready();
    if (this.#engines.set.candidates.length === 0) throw this.#noEndpoint();
  }

  /** The endpoints, rebuilt only when the membership changed. */
  #list(): readonly Endpoint[] {
    const all = this.#engines.set.all;
    if (this.#listed?.from !== all) {
      this.#listed = { from: all, endpoints: Object.freeze(all.map((state) => state.endpoint)) };
    }
    return this.#listed.endpoints;
  }

  #source(): ServiceStatus['source'] {
    return this.#fallback || this.#discovery === undefined ? 'fallback' : this.#discovery.status().source;
  }

  #stale(): boolean {
    if (this.#discovery === undefined) return false;
    return this.#fallback || this.#discovery.status().stale;
  }

  #what(): string {
    return `Service "${this.name}" in namespace "${this.namespace}"`;
  }

  #noEndpoint(): KubeSmartError {
    return noEndpointError(this.#target(), this.#engines.set.all, { ready: this.#ready });
  }

  #target(): ServiceTarget {
    const { source, labelSelector, fallback } = this.options;
    return {
      name: this.name,
      namespace: this.namespace,
      source,
      labelSelector,
      hasFallback: fallback !== undefined,
    };
  }

  #closedError(cause?: unknown): ClosedError {
    return new ClosedError(
      `${this.#what()} is closed (its KubeSmart was closed); create a new KubeSmart to make calls.`,
      cause === undefined ? undefined : { cause },
    );
  }
}
