import type { Endpoint } from '../types.js';

/** What active health checks say about an endpoint. `unknown` (not checked yet) counts as usable. */
export type HealthStatus = 'unknown' | 'healthy' | 'unhealthy';

/** Circuit breaker state of an endpoint, written by the resilience engine's `CircuitBreaker`. */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface EndpointStateOptions {
  /**
   * Time constant of the peak-EWMA latency estimate, in ms: a sample's weight decays by 1/e over
   * this time, and an idle endpoint's estimate decays toward zero so it is tried again.
   * @default 10000
   */
  latencyDecayMs?: number;
  /**
   * Latency assumed for an endpoint without samples, in ms, so new pods get traffic but are not
   * flooded before their first response.
   * @default 10
   */
  initialLatencyMs?: number;
}

const DEFAULTS: Readonly<Required<EndpointStateOptions>> = Object.freeze({
  latencyDecayMs: 10_000,
  initialLatencyMs: 10,
});

/** A plain, serialisable view of an {@link EndpointState}, for `status()` and `explain()`. */
export interface EndpointSnapshot {
  readonly endpoint: Endpoint;
  readonly available: boolean;
  readonly health: HealthStatus;
  readonly ejected: boolean;
  /** Clock time at which the ejection ends, when ejected. */
  readonly ejectedUntil: number | undefined;
  readonly circuit: CircuitState;
  readonly inflight: number;
  /** Peak-EWMA latency estimate now, in ms. */
  readonly latencyMs: number;
  /** Latency of the last finished request, in ms. */
  readonly lastLatencyMs: number | undefined;
  readonly requests: number;
  readonly failures: number;
  readonly consecutiveFailures: number;
}

/**
 * One endpoint with the live facts every engine reads: traffic stats for the balancers (in-flight
 * count, peak-EWMA latency) and availability flags, each written by its owner (active health checks,
 * outlier detection, circuit breaker). A change of availability notifies the owning `EndpointSet`.
 */
export class EndpointState {
  #endpoint: Endpoint;
  readonly #decayMs: number;
  readonly #initialLatencyMs: number;
  readonly #onAvailabilityChange: () => void;

  #inflight = 0;
  #requests = 0;
  #failures = 0;
  #consecutiveFailures = 0;
  #lastLatencyMs: number | undefined = undefined;
  #ewma = 0;
  #ewmaStamp = 0;
  #hasSample = false;

  #reachableAt: number | undefined = undefined;

  #health: HealthStatus = 'unknown';
  #ejectedUntil: number | undefined = undefined;
  #circuit: CircuitState = 'closed';

  constructor(endpoint: Endpoint, options?: EndpointStateOptions, onAvailabilityChange?: () => void) {
    this.#endpoint = endpoint;
    this.#decayMs = options?.latencyDecayMs ?? DEFAULTS.latencyDecayMs;
    this.#initialLatencyMs = options?.initialLatencyMs ?? DEFAULTS.initialLatencyMs;
    this.#onAvailabilityChange = onAvailabilityChange ?? (() => {});
  }

  get endpoint(): Endpoint {
    return this.#endpoint;
  }
  get id(): string {
    return this.#endpoint.id;
  }
  get inflight(): number {
    return this.#inflight;
  }
  get requests(): number {
    return this.#requests;
  }
  get failures(): number {
    return this.#failures;
  }
  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }
  get lastLatencyMs(): number | undefined {
    return this.#lastLatencyMs;
  }
  /** Clock time the endpoint was last seen reachable: a passing probe or a served request. */
  get reachableAt(): number | undefined {
    return this.#reachableAt;
  }
  get health(): HealthStatus {
    return this.#health;
  }
  get ejected(): boolean {
    return this.#ejectedUntil !== undefined;
  }
  get ejectedUntil(): number | undefined {
    return this.#ejectedUntil;
  }
  get circuit(): CircuitState {
    return this.#circuit;
  }
  /** Usable for new requests: not failing active checks, not ejected, circuit not open. */
  get available(): boolean {
    return this.#health !== 'unhealthy' && this.#ejectedUntil === undefined && this.#circuit !== 'open';
  }

  /** Records the start of a request to this endpoint. */
  beginRequest(): void {
    this.#inflight++;
  }

  /** Records the end of a request that gave no verdict (cancelled by the caller): no stats change. */
  abandonRequest(): void {
    if (this.#inflight > 0) this.#inflight--;
  }

  /**
   * Records the end of a request: latency in ms and whether the endpoint did its job (`ok`).
   * A failure never lowers the latency estimate, so a pod that fails fast does not look fast.
   */
  endRequest(latencyMs: number, ok: boolean, now: number): void {
    if (this.#inflight > 0) this.#inflight--;
    this.recordOutcome(latencyMs, ok, now);
  }

  /**
   * Records the outcome of a request this endpoint's owner did not see start (a caller's own
   * client, through `report()`): like {@link endRequest}, without touching the in-flight count.
   * `latencyMs` is undefined when the caller did not measure it.
   */
  recordOutcome(latencyMs: number | undefined, ok: boolean, now: number): void {
    this.#requests++;
    if (ok) this.#reachableAt = now;
    if (ok) {
      this.#consecutiveFailures = 0;
    } else {
      this.#failures++;
      this.#consecutiveFailures++;
    }
    if (latencyMs === undefined) return;
    this.#lastLatencyMs = latencyMs;
    if (ok || latencyMs > this.latencyEstimate(now)) this.#observe(latencyMs, now);
  }

  /** Records that the endpoint accepted a connection at `now` (a passing check). */
  markReachable(now: number): void {
    this.#reachableAt = now;
  }

  /** Forgets that the endpoint was reachable: it refused a connection since. */
  markUnreachable(): void {
    this.#reachableAt = undefined;
  }

  /**
   * Peak-EWMA latency estimate at `now`, in ms (Finagle's algorithm): a sample above the estimate
   * replaces it at once; lower samples are blended in with a weight growing with the time since the
   * previous one; with no traffic the estimate decays toward zero.
   */
  latencyEstimate(now: number): number {
    if (!this.#hasSample) return this.#initialLatencyMs;
    const elapsed = now - this.#ewmaStamp;
    return elapsed > 0 ? this.#ewma * Math.exp(-elapsed / this.#decayMs) : this.#ewma;
  }

  #observe(rtt: number, now: number): void {
    if (!this.#hasSample) {
      this.#hasSample = true;
      this.#ewma = rtt;
    } else {
      const elapsed = Math.max(0, now - this.#ewmaStamp);
      const weight = Math.exp(-elapsed / this.#decayMs);
      const decayed = this.#ewma * weight;
      this.#ewma = rtt > decayed ? rtt : decayed + rtt * (1 - weight);
    }
    this.#ewmaStamp = now;
  }

  /** Set by active health checks. */
  setHealth(status: HealthStatus): void {
    if (status === this.#health) return;
    const before = this.available;
    this.#health = status;
    if (before !== this.available) this.#onAvailabilityChange();
  }

  /** Set by outlier detection: the clock time the ejection ends, or `undefined` to restore. */
  setEjectedUntil(until: number | undefined): void {
    if (until === this.#ejectedUntil) return;
    const before = this.available;
    this.#ejectedUntil = until;
    if (before !== this.available) this.#onAvailabilityChange();
  }

  /** Set by the circuit breaker. */
  setCircuit(state: CircuitState): void {
    if (state === this.#circuit) return;
    const before = this.available;
    this.#circuit = state;
    if (before !== this.available) this.#onAvailabilityChange();
  }

  /** Replaces the endpoint's metadata (zone, node) while keeping its stats; the id must not change. */
  updateEndpoint(endpoint: Endpoint): void {
    this.#endpoint = endpoint;
  }

  snapshot(now: number): EndpointSnapshot {
    return {
      endpoint: this.#endpoint,
      available: this.available,
      health: this.#health,
      ejected: this.ejected,
      ejectedUntil: this.#ejectedUntil,
      circuit: this.#circuit,
      inflight: this.#inflight,
      latencyMs: this.latencyEstimate(now),
      lastLatencyMs: this.#lastLatencyMs,
      requests: this.#requests,
      failures: this.#failures,
      consecutiveFailures: this.#consecutiveFailures,
    };
  }
}
