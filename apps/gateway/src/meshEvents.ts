import type { Endpoint, SmartService } from '@kubesmart/core';

/** One thing the mesh did to a pod, for the dashboard's event list and the demo. */
export interface MeshEvent {
  /** Wall-clock time, ms since the epoch. */
  readonly at: number;
  readonly route: string;
  readonly pod: string;
  readonly kind: 'ejected' | 'restored' | 'breaker' | 'health' | 'added' | 'removed';
  readonly detail: string;
}

/** Totals of mesh actions per route since start (or the last reset). */
export interface MeshCounters {
  ejections: number;
  restores: number;
  breakerOpens: number;
  failovers: number;
  endpointsAdded: number;
  endpointsRemoved: number;
}

const podOf = (endpoint: Endpoint): string => endpoint.pod ?? endpoint.id;
const emptyCounters = (): MeshCounters => ({
  ejections: 0,
  restores: 0,
  breakerOpens: 0,
  failovers: 0,
  endpointsAdded: 0,
  endpointsRemoved: 0,
});

/**
 * Listens to each service's typed events (`ejected`, `restored`, `breaker`, `health`, `failover`,
 * `change`) and keeps counters plus the last `capacity` events, newest last.
 */
export class MeshEventLog {
  readonly #events: MeshEvent[] = [];
  readonly #counters = new Map<string, MeshCounters>();
  readonly #capacity: number;
  readonly #now: () => number;
  readonly #listeners = new Set<(event: MeshEvent) => void>();

  constructor(options: { capacity?: number; now?: () => number } = {}) {
    this.#capacity = options.capacity ?? 200;
    this.#now = options.now ?? Date.now;
  }

  /** Follows a service's events under the route's name; returns a function that stops following. */
  follow(route: string, service: SmartService): () => void {
    const counters = this.counters(route);
    let known = new Map(service.endpoints().map((e) => [e.endpoint.id, podOf(e.endpoint)]));
    const onEjected = (e: { endpoint: Endpoint; durationMs: number; ejections: number }): void => {
      counters.ejections++;
      this.#push(
        route,
        podOf(e.endpoint),
        'ejected',
        `ejected for ${Math.round(e.durationMs / 1000)} s (ejection #${e.ejections})`,
      );
    };
    const onRestored = (e: { endpoint: Endpoint }): void => {
      counters.restores++;
      this.#push(route, podOf(e.endpoint), 'restored', 'back from ejection');
    };
    const onBreaker = (e: { endpoint: Endpoint; state: string; previous: string }): void => {
      if (e.state === 'open') counters.breakerOpens++;
      this.#push(route, podOf(e.endpoint), 'breaker', `circuit ${e.previous} -> ${e.state}`);
    };
    const onHealth = (e: {
      endpoint: Endpoint;
      status: string;
      previous: string;
      reason: string | undefined;
    }): void => {
      if (e.previous === 'unknown' && e.status === 'healthy') return;
      this.#push(
        route,
        podOf(e.endpoint),
        'health',
        `${e.previous} -> ${e.status}${e.reason ? ` (${e.reason})` : ''}`,
      );
    };
    const onFailover = (): void => {
      counters.failovers++;
    };
    const onChange = (endpoints: readonly Endpoint[]): void => {
      const next = new Map<string, string>();
      for (const endpoint of endpoints) {
        next.set(endpoint.id, podOf(endpoint));
        if (!known.has(endpoint.id)) {
          counters.endpointsAdded++;
          this.#push(route, podOf(endpoint), 'added', `endpoint ${endpoint.id} discovered`);
        }
      }
      for (const [id, pod] of known) {
        if (!next.has(id)) {
          counters.endpointsRemoved++;
          this.#push(route, pod, 'removed', `endpoint ${id} left the service`);
        }
      }
      known = next;
    };
    service.on('ejected', onEjected);
    service.on('restored', onRestored);
    service.on('breaker', onBreaker);
    service.on('health', onHealth);
    service.on('failover', onFailover);
    service.on('change', onChange);
    return () => {
      service.off('ejected', onEjected);
      service.off('restored', onRestored);
      service.off('breaker', onBreaker);
      service.off('health', onHealth);
      service.off('failover', onFailover);
      service.off('change', onChange);
    };
  }

  counters(route: string): MeshCounters {
    let counters = this.#counters.get(route);
    if (counters === undefined) {
      counters = emptyCounters();
      this.#counters.set(route, counters);
    }
    return counters;
  }

  /** Zeroes a route's counters (its events stay in the log). */
  resetCounters(route: string): void {
    Object.assign(this.counters(route), emptyCounters());
  }

  /** The last events, newest last; only those of `route` when given. */
  recent(limit = 50, route?: string): MeshEvent[] {
    const events = route === undefined ? this.#events : this.#events.filter((e) => e.route === route);
    return events.slice(-limit);
  }

  /** Calls `listener` on every new event; returns a function that stops it. */
  onEvent(listener: (event: MeshEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #push(route: string, pod: string, kind: MeshEvent['kind'], detail: string): void {
    const event: MeshEvent = { at: this.#now(), route, pod, kind, detail };
    this.#events.push(event);
    if (this.#events.length > this.#capacity) this.#events.splice(0, this.#events.length - this.#capacity);
    for (const listener of this.#listeners) listener(event);
  }
}
