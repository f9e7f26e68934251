/**
 * Public types shared by every engine of @kubesmart/core. Only small, stable shapes live here;
 * an engine's own types sit beside the engine.
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

const noop = (): void => {};

/** A logger that drops everything: the default wherever a logger is optional. */
export const noopLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => noopLogger,
});

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

/** The real clock: `performance` time (monotonic, epoch-aligned at start) and Node timers. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn: () => void, ms: number, options?: TimerOptions): TimerHandle => {
    const timer = setTimeout(fn, ms);
    if (options?.unref) timer.unref();
    return timer;
  },
  clearTimeout: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

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

/** Builds a frozen {@link Endpoint}, deriving `id` and `url` (IPv6 hosts are bracketed). */
export function createEndpoint(init: EndpointInit): Endpoint {
  const hostPart = init.host.includes(':') ? `[${init.host}]` : init.host;
  const id = `${hostPart}:${init.port}`;
  const endpoint: { -readonly [K in keyof Endpoint]: Endpoint[K] } = {
    id,
    host: init.host,
    port: init.port,
    url: `http://${id}`,
  };
  if (init.pod !== undefined) endpoint.pod = init.pod;
  if (init.namespace !== undefined) endpoint.namespace = init.namespace;
  if (init.zone !== undefined) endpoint.zone = init.zone;
  if (init.node !== undefined) endpoint.node = init.node;
  return Object.freeze(endpoint);
}
