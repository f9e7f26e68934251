import type { StatusReason } from '../types.js';

/** Which API requests a fault applies to; every field left out matches all. */
export interface FaultMatch {
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb?: string;
  /** Resource plural, e.g. `endpointslices`. */
  resource?: string;
  namespace?: string;
}

export interface ErrorFaultOptions extends FaultMatch {
  /** HTTP status to answer with. */
  status: number;
  /** Status reason; derived from the code when left out. */
  reason?: Exclude<StatusReason, ''>;
  message?: string;
  /** Seconds for the `Retry-After` header (sent with 429 and 503). */
  retryAfterSeconds?: number;
  /** Share of matching requests that fail, 0..1. @default 1 */
  rate?: number;
  /** Fail only this many matching requests, then remove the fault. */
  times?: number;
}

export interface FaultHandle {
  /** Removes this fault. */
  remove(): void;
}

/** A live watch stream the injector can act on. */
export interface ControllableWatch {
  readonly match: Required<Pick<FaultMatch, 'resource'>> & { namespace: string | undefined };
  /** Ends the stream cleanly, as an API server does on timeout or restart. */
  drop(): void;
  /** Stops all bytes (events, bookmarks, keep-alives) while the connection stays open. */
  stall(): void;
}

/** What the API server must do to one request because of the faults in force. */
export interface RequestFaults {
  delayMs: number;
  error?: ErrorFaultOptions;
}

interface Entry<T> {
  readonly match: FaultMatch;
  readonly value: T;
}

function matches(match: FaultMatch, verb: string, resource: string, namespace: string | undefined): boolean {
  return (
    (match.verb === undefined || match.verb === verb) &&
    (match.resource === undefined || match.resource === resource) &&
    (match.namespace === undefined || match.namespace === namespace)
  );
}

/**
 * Scripted failures of the emulated API server: latency, error statuses, dropped, stalled and
 * expired watches, refused connections. The server consults it on every request.
 */
export class FaultInjector {
  readonly #latencies = new Set<Entry<number>>();
  readonly #errors = new Set<Entry<ErrorFaultOptions & { remaining: number }>>();
  readonly #expiries = new Set<Entry<null>>();
  readonly #stalls = new Set<Entry<null>>();
  readonly #watches = new Set<ControllableWatch>();
  readonly #random: () => number;
  readonly #refuse: (ms: number) => Promise<void>;

  constructor(options: { random?: () => number; refuseConnections: (ms: number) => Promise<void> }) {
    this.#random = options.random ?? Math.random;
    this.#refuse = options.refuseConnections;
  }

  /** Adds `ms` of latency to every matching request. */
  latency(ms: number, match: FaultMatch = {}): FaultHandle {
    return this.#add(this.#latencies, { match, value: ms });
  }

  /** Answers matching requests with an error status (500, 429 with Retry-After, 403, ...). */
  error(options: ErrorFaultOptions): FaultHandle {
    const entry = {
      match: options,
      value: { ...options, remaining: options.times ?? Number.POSITIVE_INFINITY },
    };
    return this.#add(this.#errors, entry);
  }

  /** Ends every matching open watch cleanly; clients see the stream end and must re-watch. */
  dropWatches(match: FaultMatch = {}): number {
    let dropped = 0;
    for (const watch of [...this.#watches]) {
      if (matches(match, 'watch', watch.match.resource, watch.match.namespace)) {
        watch.drop();
        dropped += 1;
      }
    }
    return dropped;
  }

  /**
   * Makes matching watches go silent: open connections that send no bytes at all. Applies to open
   * watches and to new ones until the handle is removed.
   */
  stallWatches(match: FaultMatch = {}): FaultHandle {
    for (const watch of this.#watches) {
      if (matches(match, 'watch', watch.match.resource, watch.match.namespace)) watch.stall();
    }
    return this.#add(this.#stalls, { match, value: null });
  }

  /** The next matching watch is answered with 410 Expired, forcing the client to relist. */
  expireNextWatch(match: FaultMatch = {}): FaultHandle {
    return this.#add(this.#expiries, { match, value: null });
  }

  /** Closes the listening socket and every connection; connections are refused for `ms`. */
  refuseConnections(ms: number): Promise<void> {
    return this.#refuse(ms);
  }

  /** Removes every fault (open stalled watches stay stalled until they end). */
  clear(): void {
    this.#latencies.clear();
    this.#errors.clear();
    this.#expiries.clear();
    this.#stalls.clear();
  }

  /** Decides the faults for one request. */
  forRequest(verb: string, resource: string, namespace: string | undefined): RequestFaults {
    let delayMs = 0;
    for (const { match, value } of this.#latencies) {
      if (matches(match, verb, resource, namespace)) delayMs += value;
    }
    for (const entry of this.#errors) {
      if (!matches(entry.match, verb, resource, namespace)) continue;
      if (this.#random() >= (entry.value.rate ?? 1)) continue;
      entry.value.remaining -= 1;
      if (entry.value.remaining <= 0) this.#errors.delete(entry);
      return { delayMs, error: entry.value };
    }
    return { delayMs };
  }

  /** True once for the next matching watch after `expireNextWatch`. */
  takeWatchExpiry(resource: string, namespace: string | undefined): boolean {
    for (const entry of this.#expiries) {
      if (matches(entry.match, 'watch', resource, namespace)) {
        this.#expiries.delete(entry);
        return true;
      }
    }
    return false;
  }

  /** Registers an open watch; returns whether it must start stalled. */
  trackWatch(watch: ControllableWatch): { stalled: boolean; untrack: () => void } {
    this.#watches.add(watch);
    const stalled = [...this.#stalls].some((s) =>
      matches(s.match, 'watch', watch.match.resource, watch.match.namespace),
    );
    return { stalled, untrack: () => this.#watches.delete(watch) };
  }

  #add<T>(set: Set<T>, entry: T): FaultHandle {
    set.add(entry);
    return { remove: () => set.delete(entry) };
  }
}
