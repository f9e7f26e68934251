import { systemClock } from '../clock.js';
import type { CircuitState, EndpointState } from '../endpoints/endpointState.js';
import { EndpointTimers } from '../endpoints/endpointTimers.js';
import { noopLogger } from '../logger.js';
import { assertRange, withDefaults } from '../options.js';
import { TypedEmitter } from '../typedEmitter.js';
import type { Clock, Endpoint, Logger } from '../types.js';

export interface CircuitBreakerOptions {
  /**
   * Consecutive failures that open an endpoint's circuit.
   * @default 3
   */
  failureThreshold?: number;
  /**
   * How long a circuit stays open before letting trial requests through (half-open), in ms.
   * @default 30000
   */
  openMs?: number;
  /**
   * Trial requests let through at once while half-open; that many successes close the circuit,
   * one failure opens it again.
   * @default 1
   */
  halfOpenProbes?: number;
  /** @default systemClock */
  clock?: Clock;
  /** @default noopLogger */
  logger?: Logger;
}

const DEFAULTS: Readonly<Required<CircuitBreakerOptions>> = Object.freeze({
  failureThreshold: 3,
  openMs: 30_000,
  halfOpenProbes: 1,
  clock: systemClock,
  logger: noopLogger,
});

export interface BreakerEvent {
  readonly endpoint: Endpoint;
  readonly state: CircuitState;
  readonly previous: CircuitState;
}

export type CircuitBreakerEvents = { breaker: [BreakerEvent] };

interface Circuit {
  failures: number;
  openedAt: number;
  probes: number;
  probeSuccesses: number;
}

/**
 * Per-endpoint circuit breakers (closed, open, half-open), defaults from the mesh simulation: 3 failures
 * open a circuit for 30 s. The state is written into each `EndpointState`, so an open endpoint
 * leaves the candidates and comes back half-open when its timer fires.
 *
 * Why not cockatiel's `CircuitBreakerPolicy` (evaluated, v3.2.1): it wraps an `execute()` and offers
 * no non-blocking "may this endpoint take a request?" query that a picker needs, queues callers
 * behind its single half-open trial instead of sending them elsewhere, and reads `Date.now()`
 * directly, so the injected clock cannot drive it.
 */
export class CircuitBreaker extends TypedEmitter<CircuitBreakerEvents> {
  readonly #o: Readonly<Required<CircuitBreakerOptions>>;
  readonly #logger: Logger;
  readonly #circuits = new Map<EndpointState, Circuit>();
  readonly #timers: EndpointTimers;
  #closed = false;

  constructor(options?: CircuitBreakerOptions) {
    const o = Object.freeze(withDefaults(DEFAULTS, options));
    super(o.logger);
    assertRange('CircuitBreaker', 'failureThreshold', o.failureThreshold, 1);
    assertRange('CircuitBreaker', 'openMs', o.openMs, 1);
    assertRange('CircuitBreaker', 'halfOpenProbes', o.halfOpenProbes, 1);
    this.#o = o;
    this.#timers = new EndpointTimers(o.clock);
    this.#logger = o.logger.child?.({ component: 'circuit-breaker' }) ?? o.logger;
  }

  /**
   * Asks to send one request to `state`: always yes when closed, no when open, and yes for up to
   * `halfOpenProbes` requests at once when half-open. Every `true` must be followed by one of
   * `onSuccess`, `onFailure` or `release`.
   */
  tryAcquire(state: EndpointState): boolean {
    if (state.circuit === 'closed') return true;
    const circuit = this.#circuit(state);
    if (state.circuit === 'open') {
      if (this.#o.clock.now() - circuit.openedAt < this.#o.openMs) return false;
      this.#halfOpen(state, circuit);
    }
    if (circuit.probes >= this.#o.halfOpenProbes) return false;
    circuit.probes++;
    return true;
  }

  onSuccess(state: EndpointState): void {
    const circuit = this.#circuits.get(state);
    if (circuit === undefined) return;
    circuit.failures = 0;
    if (state.circuit !== 'half-open') return;
    circuit.probes = Math.max(0, circuit.probes - 1);
    circuit.probeSuccesses++;
    if (circuit.probeSuccesses >= this.#o.halfOpenProbes) this.#transition(state, circuit, 'closed');
  }

  onFailure(state: EndpointState): void {
    if (this.#closed) return;
    const circuit = this.#circuit(state);
    if (state.circuit === 'open') return;
    if (state.circuit === 'half-open') {
      circuit.probes = Math.max(0, circuit.probes - 1);
      this.#open(state, circuit);
      return;
    }
    circuit.failures++;
    if (circuit.failures >= this.#o.failureThreshold) this.#open(state, circuit);
  }

  /** Ends an acquired request that gave no verdict (cancelled by the caller, say). */
  release(state: EndpointState): void {
    const circuit = this.#circuits.get(state);
    if (circuit !== undefined && state.circuit === 'half-open')
      circuit.probes = Math.max(0, circuit.probes - 1);
  }

  /** Closes the circuit of `state` now. */
  reset(state: EndpointState): void {
    const circuit = this.#circuits.get(state);
    if (circuit === undefined) return;
    circuit.failures = 0;
    this.#transition(state, circuit, 'closed');
  }

  /** Forgets an endpoint that left the service, clearing its timer. */
  remove(state: EndpointState): void {
    this.#timers.cancel(state);
    this.#circuits.delete(state);
  }

  /** Clears every timer. Idempotent. */
  close(): void {
    this.#closed = true;
    this.#timers.close();
  }

  #circuit(state: EndpointState): Circuit {
    let circuit = this.#circuits.get(state);
    if (circuit === undefined) {
      circuit = { failures: 0, openedAt: 0, probes: 0, probeSuccesses: 0 };
      this.#circuits.set(state, circuit);
    }
    return circuit;
  }

  #open(state: EndpointState, circuit: Circuit): void {
    const { clock, openMs } = this.#o;
    circuit.openedAt = clock.now();
    this.#timers.start(state, openMs, () => {
      if (state.circuit === 'open') this.#halfOpen(state, circuit);
    });
    this.#logger.warn(
      { endpoint: state.id, failures: circuit.failures, openMs },
      `circuit of ${state.id} opened for ${openMs} ms`,
    );
    this.#transition(state, circuit, 'open');
  }

  #halfOpen(state: EndpointState, circuit: Circuit): void {
    this.#timers.cancel(state);
    this.#transition(state, circuit, 'half-open');
  }

  #transition(state: EndpointState, circuit: Circuit, next: CircuitState): void {
    const previous = state.circuit;
    if (previous === next) return;
    circuit.probes = 0;
    circuit.probeSuccesses = 0;
    if (next === 'closed') this.#timers.cancel(state);
    state.setCircuit(next);
    this.emit('breaker', { endpoint: state.endpoint, state: next, previous });
  }
}
