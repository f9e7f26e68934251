import type { MeshStatus } from '@kubesmart/gateway';
import type { FaultRecord } from './faultWatcher.js';
import type { TrafficTotals } from './trafficDriver.js';

/** The demo's result: also its last output line, as one JSON object. */
export interface DemoSummary {
  readonly mode: 'emulated' | 'cluster';
  readonly durationSeconds: number;
  readonly requests: number;
  readonly idempotentRequests: number;
  /** Requests that got a 5xx or no answer (4xx are the client's own and not counted). */
  readonly clientErrors: number;
  readonly idempotentClientErrors: number;
  readonly nonIdempotentClientErrors: number;
  /** Requests answered after a retry on another pod. */
  readonly retried: number;
  /** Attempts the gateway retried on another pod. */
  readonly failovers: number;
  /** Times the gateway took a pod out of rotation on its own: breaker opens plus outlier ejections. */
  readonly ejections: number;
  readonly breakerOpens: number;
  readonly outlierEjections: number;
  /**
   * Per bad pod: ms from the fault until the gateway stopped sending it requests (its last attempt;
   * 0 when none reached it), by any means: balancer, breaker, ejection, health check or discovery.
   */
  readonly timeToEjectMs: Readonly<Record<string, number | null>>;
  readonly faults: readonly {
    kind: string;
    route: string;
    target: string;
    requestsAfterFault: number | null;
    lastRequestMs: number | null;
    meshOutMs: number | null;
    meshOutBy: string | null;
    endpointRemovedMs: number | null;
    scaledMs: number | null;
    trafficShare: number | null;
  }[];
  readonly statuses: Readonly<Record<string, number>>;
}

const r = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v));

export function buildSummary(
  mode: DemoSummary['mode'],
  durationSeconds: number,
  traffic: TrafficTotals,
  status: MeshStatus,
  faults: readonly FaultRecord[],
): DemoSummary {
  const services = Object.values(status.services);
  const breakerOpens = services.reduce((n, s) => n + s.counters.breakerOpens, 0);
  const outlierEjections = services.reduce((n, s) => n + s.counters.ejections, 0);
  const timeToEjectMs: Record<string, number | null> = {};
  for (const f of faults) {
    if (f.kind === 'kill' || f.kind === 'hang')
      timeToEjectMs[`${f.target} (${f.kind})`] = r(f.lastSentMs ?? 0);
  }
  return {
    mode,
    durationSeconds: Math.round(durationSeconds * 10) / 10,
    requests: traffic.requests,
    idempotentRequests: traffic.idempotentRequests,
    clientErrors: traffic.clientErrors,
    idempotentClientErrors: traffic.idempotentClientErrors,
    nonIdempotentClientErrors: traffic.nonIdempotentClientErrors,
    retried: traffic.retried,
    failovers: services.reduce((n, s) => n + s.counters.failovers, 0),
    ejections: breakerOpens + outlierEjections,
    breakerOpens,
    outlierEjections,
    timeToEjectMs,
    faults: faults.map((f) => ({
      kind: f.kind,
      route: f.route,
      target: f.target,
      requestsAfterFault: f.kind === 'kill' || f.kind === 'hang' ? f.sentAfter : null,
      lastRequestMs: f.kind === 'kill' || f.kind === 'hang' ? r(f.lastSentMs ?? 0) : null,
      meshOutMs: r(f.meshOutMs),
      meshOutBy: f.meshOutBy ?? null,
      endpointRemovedMs: r(f.removedMs),
      scaledMs: r(f.scaledMs),
      trafficShare: f.share === undefined ? null : Math.round(f.share * 1000) / 1000,
    })),
    statuses: traffic.statuses,
  };
}

const sec = (v: number | null): string =>
  v === null ? 'not within the demo' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`;

/** The summary for people, one fact a line. */
export function summaryLines(s: DemoSummary, failures: TrafficTotals['failures']): string[] {
  const lines = [
    'summary',
    `  requests sent            ${s.requests} in ${s.durationSeconds} s (${s.idempotentRequests} idempotent)`,
    `  client-visible errors    ${s.clientErrors} (idempotent ${s.idempotentClientErrors}, non-idempotent ${s.nonIdempotentClientErrors})`,
    `  answered after a retry   ${s.retried}; failovers ${s.failovers}`,
    `  pods taken out           ${s.ejections} (breaker opens ${s.breakerOpens}, outlier ejections ${s.outlierEjections})`,
  ];
  for (const f of s.faults) {
    if (f.kind === 'kill' || f.kind === 'hang') {
      const mesh =
        f.meshOutMs === null ? '' : `; the mesh marked it ${f.meshOutBy} after ${sec(f.meshOutMs)}`;
      lines.push(
        `  ${f.kind === 'kill' ? 'killed' : 'hung'} ${f.target}: ${f.requestsAfterFault} request(s) reached it after the fault, the last after ${sec(f.lastRequestMs)}${mesh}; Kubernetes readiness removed it after ${sec(f.endpointRemovedMs)}`,
      );
    } else if (f.kind === 'slow') {
      lines.push(
        `  slowed ${f.target}: it served ${((f.trafficShare ?? 0) * 100).toFixed(1)} % of catalog requests while slow (a third without the mesh)`,
      );
    } else if (f.kind === 'scale') {
      lines.push(`  scaled ${f.target}: the gateway routed to every new pod after ${sec(f.scaledMs)}`);
    }
  }
  if (s.nonIdempotentClientErrors > 0) {
    lines.push(
      '  non-idempotent errors are POSTs that may have reached a failing pod: the gateway never repeats those',
    );
  }
  for (const f of failures.slice(0, 5)) {
    lines.push(
      `  failed: ${f.method} ${f.path} -> ${f.status ?? f.error} after ${Math.round(f.latencyMs)} ms`,
    );
  }
  return lines;
}
