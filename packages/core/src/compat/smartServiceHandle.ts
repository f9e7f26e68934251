import type { SmartService } from '../service/smartService.js';
import type { ReportOptions } from '../service/smartServiceTypes.js';
import type { Endpoint } from '../types.js';

/** The seed's `status()` dict, camelCased. */
export interface SeedStatus {
  /** Latency of the last call, else of the active pod's last health check, in ms. */
  latencyMs: number | undefined;
  /** Endpoints (pods) known. */
  pods: number;
  /** Times a call or this handle moved to another pod after a failure. */
  failoverCount: number;
  /** The active pod's name (else `host:port`). */
  activePod: string | undefined;
}

/**
 * kubeSmartService's `SmartService` object: one active endpoint (`host`, `port`) that moves to
 * another healthy pod when it becomes unavailable, `availablePods` and `status()`. The full mesh
 * API (`call`, `fetch`, `explain`, events) is on `service`. Read `endpoint` once when you need
 * host and port together: each read may move to another pod.
 */
export class SmartServiceHandle {
  /** The mesh service behind this handle. */
  readonly service: SmartService;
  readonly #failover: boolean;
  #active: Endpoint | undefined;
  #moves = 0;

  constructor(service: SmartService, options: { failover: boolean }) {
    this.service = service;
    this.#failover = options.failover;
  }

  get name(): string {
    return this.service.name;
  }

  get namespace(): string {
    return this.service.namespace;
  }

  /**
   * The active endpoint. It stays the same while it is available (with `failover: false`, while it
   * exists); otherwise another is picked. Throws `NoHealthyEndpointsError` when none is left.
   */
  get endpoint(): Endpoint {
    const active = this.#active;
    if (active !== undefined && (!this.#failover || this.service.isAvailable(active))) return active;
    return this.#moveTo(this.service.pick());
  }

  /**
   * Makes sure the active endpoint accepts connections, as the seed's resolve did: at the cost of
   * a map lookup while it was seen reachable within `reachability.ttlMs` (health checks and
   * served calls keep that fresh), else with a TCP connect; an unreachable one is taken out and
   * another reachable endpoint becomes active. Resolves with this handle; at once with
   * `failover: false` or while the fallback is in force (used as is, as the seed did). Rejects with
   * `NoHealthyEndpointsError` when no endpoint is reachable.
   */
  async verified(): Promise<this> {
    if (!this.#failover || this.service.usesFallback) return this;
    const endpoint = this.endpoint;
    const reachable = this.service.checkReachable(endpoint);
    if (reachable === true || (await reachable)) return this;
    this.#moveTo(await this.service.pickReachable());
    return this;
  }

  /**
   * Tells the mesh how your call to the active endpoint went (see `SmartService.report()`): no
   * `error` for a success. A failure may move the handle to another pod at its next read.
   */
  report(error?: unknown, options?: ReportOptions): boolean {
    const active = this.#active;
    return active !== undefined && this.service.report(active, error, options);
  }

  #moveTo(next: Endpoint): Endpoint {
    const active = this.#active;
    if (active !== undefined && next.id !== active.id) this.#moves++;
    this.#active = next;
    return next;
  }

  get host(): string {
    return this.endpoint.host;
  }

  get port(): number {
    return this.endpoint.port;
  }

  /** `http://host:port` of the active endpoint. */
  get url(): string {
    return this.endpoint.url;
  }

  /** Name of the active pod (undefined when unknown, as for the fallback). */
  get activePod(): string | undefined {
    return this.endpoint.pod;
  }

  /** Pods (else `host:port`) that can take requests now. */
  get availablePods(): string[] {
    return this.service
      .endpoints()
      .filter((e) => e.available)
      .map((e) => e.endpoint.pod ?? e.endpoint.id);
  }

  status(): SeedStatus {
    const status = this.service.status();
    const active = this.#active;
    return {
      latencyMs: status.latencyMs,
      pods: status.endpointCount,
      failoverCount: status.failoverCount + this.#moves,
      activePod: active === undefined ? status.activePod : (active.pod ?? active.id),
    };
  }
}
