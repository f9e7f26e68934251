/**
 * Public types shared by every engine of @kubesmart/core. Only small, stable shapes live here;
 * an engine's own types sit beside the engine. Their defaults are `noopLogger` (logger.ts),
 * `systemClock` (clock.ts) and `createEndpoint` (createEndpoint.ts).
 */

/**
 * A structured logger. pino, and any logger with the same call shape, fits as is.
 * Core never logs through `console`; pass a logger to see what it does.
 */
export interface Logger {
  debug(obj: object | string, msg?: string): void;
  info(obj: object | string, msg?: string): void;
  warn(obj: object | string, msg?: string): void;
  error(obj: object | string, msg?: string): void;
  /** Returns a logger that adds `bindings` to every record. */
  child?(bindings: Record<string, unknown>): Logger;
}

/** An opaque timer handle, returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** Options for {@link Clock.setTimeout}. */
export interface TimerOptions {
  /**
   * A background timer (health checks, ejection expiry) that must not keep the process alive.
   * Clocks without such a notion ignore it.
   */
  unref?: boolean;
}

/**
 * Time and timers, injected so tests control them. `now()` is monotonic (it never goes back), in
 * milliseconds with a fractional part; only differences between two readings are meaningful.
 */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number, options?: TimerOptions): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** A source of uniform random numbers in [0, 1), injected so tests and simulations are repeatable. */
export type Random = () => number;

/** One network endpoint of a service: usually a pod IP and the service's target port. */
export interface Endpoint {
  /** `host:port` (`[host]:port` for IPv6), unique within a service. */
  readonly id: string;
  /** IP address or host name, without brackets. */
  readonly host: string;
  readonly port: number;
  /** Base URL, `http://host:port`. */
  readonly url: string;
  /** Name of the pod behind the endpoint, when known. */
  readonly pod?: string;
  readonly namespace?: string;
  /** Topology zone (`topology.kubernetes.io/zone`), when known. */
  readonly zone?: string;
  /** Node name, when known. */
  readonly node?: string;
}

/** Fields needed to build an {@link Endpoint}; `id` and `url` are derived. */
export interface EndpointInit {
  host: string;
  port: number;
  pod?: string;
  namespace?: string;
  zone?: string;
  node?: string;
}
