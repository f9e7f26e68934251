import type { Gateway } from '@kubesmart/gateway';

/** A fault the demo injected, and how the mesh reacted to it. */
export interface FaultRecord {
  readonly kind: 'kill' | 'hang' | 'slow' | 'scale';
  readonly route: string;
  /** The pod (or, for scale, the Deployment and its new replica count). */
  readonly target: string;
  /** When it was injected, `performance.now()` ms. */
  readonly at: number;
  /** Requests the mesh sent to the pod after the fault (each failed one retried elsewhere when safe). */
  sentAfter: number;
  /** Time of the last request sent to the pod after the fault, ms: from then on the gateway routed around it. */
  lastSentMs: number | undefined;
  /** Time until the mesh itself took the pod out of rotation (breaker, ejection, health check), ms. */
  meshOutMs: number | undefined;
  /** How: `circuit-open`, `ejected`, `unhealthy`. */
  meshOutBy: string | undefined;
  /** Time until the pod left the Service's endpoints (Kubernetes readiness), ms. */
  removedMs: number | undefined;
  /** For `scale`: time until the gateway routed to every new pod, ms. */
  scaledMs: number | undefined;
  /** For `slow`: share of the route's answers that came from this pod while it was slow. */
  share: number | undefined;
  done: boolean;
}

/**
 * Watches `gateway.status()` every 25 ms and times how fast each injected fault was routed around:
 * first the mesh (breaker, ejection, active health), then Kubernetes (readiness removes the endpoint).
 */
export class FaultWatcher {
  readonly faults: FaultRecord[] = [];
  readonly #gateway: Gateway;
  #timer: NodeJS.Timeout | undefined;
  /** Attempts started on each fault's pod, as last seen. */
  readonly #sent = new Map<FaultRecord, number>();

  constructor(gateway: Gateway) {
    this.#gateway = gateway;
  }

  start(): void {
    this.#timer ??= setInterval(() => this.#check(), 25);
  }

  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  add(kind: FaultRecord['kind'], route: string, target: string): FaultRecord {
    const record: FaultRecord = {
      kind,
      route,
      target,
      at: performance.now(),
      sentAfter: 0,
      lastSentMs: undefined,
      meshOutMs: undefined,
      meshOutBy: undefined,
      removedMs: undefined,
      scaledMs: undefined,
      share: undefined,
      done: false,
    };
    const endpoint = this.#gateway.status().services[route]?.endpoints.find((e) => e.pod === target);
    this.#sent.set(record, endpoint === undefined ? 0 : endpoint.attempts + endpoint.inflight);
    this.faults.push(record);
    return record;
  }

  #check(): void {
    const pending = this.faults.filter((f) => !f.done);
    if (pending.length === 0) return;
    const status = this.#gateway.status();
    const now = performance.now();
    for (const fault of pending) {
      const view = status.services[fault.route];
      if (view === undefined) continue;
      if (fault.kind === 'scale') {
        const [, replicas] = fault.target.split('=');
        if (view.available >= Number(replicas)) {
          fault.scaledMs = now - fault.at;
          fault.done = true;
        }
        continue;
      }
      if (fault.kind === 'slow') continue;
      const endpoint = view.endpoints.find((e) => e.pod === fault.target);
      if (endpoint === undefined) {
        fault.removedMs = now - fault.at;
        fault.done = true;
        continue;
      }
      const started = endpoint.attempts + endpoint.inflight;
      const before = this.#sent.get(fault) ?? started;
      if (started > before) {
        fault.sentAfter += started - before;
        fault.lastSentMs = now - fault.at;
      }
      this.#sent.set(fault, started);
      if (fault.meshOutMs === undefined && !endpoint.available) {
        fault.meshOutMs = now - fault.at;
        fault.meshOutBy = endpoint.state;
      }
    }
  }
}
