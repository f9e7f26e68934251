import { systemClock } from '../clock.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import { EndpointTimers } from '../endpoints/endpointTimers.js';
import { noopLogger } from '../logger.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Clock, Endpoint, Logger } from '../types.js';

export interface OutlierDetectionOptions {
  /**
   * Consecutive failed requests that eject an endpoint.
   * @default 5
   */
  consecutiveFailures?: number;
  /**
   * Ejection time of a first ejection, in ms; the n-th ejection lasts n times this.
   * @default 30000
   */
  baseEjectionTimeMs?: number;
  /**
   * Longest ejection, in ms.
   * @default 300000
   */
  maxEjectionTimeMs?: number;
  /**
   * Largest share of the endpoints ejected at once, in percent. One endpoint may always be ejected.
   * Higher than Envoy's 10 because services here often have 2 to 10 pods.
   * @default 50
   */
  maxEjectionPercent?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default noopLogger */
  logger?: Logger;
}

const DEFAULTS: Readonly<Required<OutlierDetectionOptions>> = Object.freeze({
  consecutiveFailures: 5,
  baseEjectionTimeMs: 30_000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 50,
  clock: systemClock,
  logger: noopLogger,
});

export interface EjectionEvent {
  readonly endpoint: Endpoint;
  /** How many times this endpoint has been ejected lately, this time included. */
  readonly ejections: number;
  readonly durationMs: number;
  readonly consecutiveFailures: number;
}

export interface RestoreEvent {
  readonly endpoint: Endpoint;
}

export type OutlierEvents = { ejected: [EjectionEvent]; restored: [RestoreEvent] };

/** The endpoints an {@link OutlierDetector} weighs an ejection against (an `EndpointSet` fits). */
export interface EndpointPool {
  readonly all: readonly EndpointState[];
}

interface Tracking {
  failures: number;
  ejections: number;
  restoredAt: number;
}

/**
 * Passive health from real traffic, after Envoy's outlier detection: `consecutiveFailures` failed
 * requests in a row eject an endpoint for `baseEjectionTimeMs` x its ejection count (capped), never
 * more than `maxEjectionPercent` of the pool at once. The ejection count drops by one for every
 * base ejection time the endpoint then stays in. Panic mode is the `EndpointSet`'s job.
 */
export class OutlierDetector extends TypedEmitter<OutlierEvents> {
  readonly #o: Readonly<Required<OutlierDetectionOptions>>;
  readonly #pool: EndpointPool;
  readonly #logger: Logger;
  readonly #records = new Map<EndpointState, Tracking>();
  readonly #timers: EndpointTimers;
  #closed = false;

  constructor(pool: EndpointPool, options?: OutlierDetectionOptions) {
    const o = Object.freeze(withDefaults(DEFAULTS, options));
    super(o.logger);
    assertRange('OutlierDetector', 'consecutiveFailures', o.consecutiveFailures, 1);
    assertRange('OutlierDetector', 'baseEjectionTimeMs', o.baseEjectionTimeMs, 1);
    assertRange('OutlierDetector', 'maxEjectionTimeMs', o.maxEjectionTimeMs, o.baseEjectionTimeMs);
    assertRange('OutlierDetector', 'maxEjectionPercent', o.maxEjectionPercent, 0, 100);
    this.#o = o;
    this.#pool = pool;
    this.#timers = new EndpointTimers(o.clock);
    this.#logger = o.logger.child?.({ component: 'outlier-detection' }) ?? o.logger;
  }

  /** Records a request the endpoint served well (any response that is not a server failure). */
  onSuccess(state: EndpointState): void {
    const record = this.#records.get(state);
    if (record !== undefined) record.failures = 0;
  }

  /** Records a failed request (connection error, timeout, 5xx); may eject the endpoint. */
  onFailure(state: EndpointState): void {
    if (this.#closed) return;
    const record = this.#record(state);
    record.failures++;
    if (state.ejected || record.failures < this.#o.consecutiveFailures) return;
    if (!this.#mayEject()) {
      this.#logger.debug(
        { endpoint: state.id, failures: record.failures },
        `not ejecting ${state.id}: maxEjectionPercent (${this.#o.maxEjectionPercent}%) reached`,
      );
      return;
    }
    this.#eject(state, record);
  }

  /** Brings an ejected endpoint back now. */
  restore(state: EndpointState): void {
    const record = this.#records.get(state);
    if (record === undefined || !state.ejected) return;
    this.#timers.cancel(state);
    record.failures = 0;
    record.restoredAt = this.#o.clock.now();
    state.setEjectedUntil(undefined);
    this.#logger.info({ endpoint: state.id }, `endpoint ${state.id} is back from ejection`);
    this.emit('restored', { endpoint: state.endpoint });
  }

  /** Forgets an endpoint that left the service, clearing its timer. */
  remove(state: EndpointState): void {
    this.#timers.cancel(state);
    this.#records.delete(state);
  }

  /** Clears every ejection timer; ejected endpoints stay ejected. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#timers.close();
    this.#records.clear();
  }

  /** Ejection count of an endpoint, after decay. */
  ejections(state: EndpointState): number {
    const record = this.#records.get(state);
    return record === undefined ? 0 : this.#decayedEjections(record, state);
  }

  #record(state: EndpointState): Tracking {
    let record = this.#records.get(state);
    if (record === undefined) {
      record = { failures: 0, ejections: 0, restoredAt: 0 };
      this.#records.set(state, record);
    }
    return record;
  }

  #mayEject(): boolean {
    const all = this.#pool.all;
    let ejected = 0;
    for (const state of all) if (state.ejected) ejected++;
    return ejected === 0 || (ejected + 1) * 100 <= this.#o.maxEjectionPercent * all.length;
  }

  #decayedEjections(record: Tracking, state: EndpointState): number {
    if (state.ejected || record.ejections === 0) return record.ejections;
    const quiet = Math.floor((this.#o.clock.now() - record.restoredAt) / this.#o.baseEjectionTimeMs);
    return Math.max(0, record.ejections - quiet);
  }

  #eject(state: EndpointState, record: Tracking): void {
    const { clock, baseEjectionTimeMs, maxEjectionTimeMs } = this.#o;
    record.ejections = this.#decayedEjections(record, state) + 1;
    const durationMs = Math.min(baseEjectionTimeMs * record.ejections, maxEjectionTimeMs);
    const consecutiveFailures = record.failures;
    state.setEjectedUntil(clock.now() + durationMs);
    this.#timers.start(state, durationMs, () => this.restore(state));
    this.#logger.warn(
      {
        endpoint: state.id,
        pod: state.endpoint.pod,
        consecutiveFailures,
        ejections: record.ejections,
        durationMs,
      },
      `ejected ${state.id} for ${durationMs} ms after ${consecutiveFailures} consecutive failures`,
    );
    this.emit('ejected', {
      endpoint: state.endpoint,
      ejections: record.ejections,
      durationMs,
      consecutiveFailures,
    });
  }
}
