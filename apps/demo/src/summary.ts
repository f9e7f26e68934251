import type { MeshStatus } from '@kubesmart/gateway';
import type { FaultRecord } from './faultWatcher.js';
import { type OutcomeLog, SLOW_MS, type WindowCount } from './outcomeLog.js';
import type { TrafficTotals } from './trafficDriver.js';

/** The same traffic sent without the mesh (through the kube-proxy-like balancer), to compare. */
export interface Comparison {
  readonly mesh: OutcomeLog;
  readonly direct: OutcomeLog;
  readonly directTotals: TrafficTotals;
  /** End of the run, `performance.now()` ms. */
  readonly end: number;
}

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
    /** Requests to the fault's route from the fault until the next fault there (or the end), and their errors. */
    withMesh: WindowCount | null;
    withoutMesh: WindowCount | null;
  }[];
  /** The same traffic at a lower rate straight to each Service, connection-balanced as kube-proxy does. */
  readonly withoutMesh: { readonly requests: number; readonly clientErrors: number } | null;
  readonly statuses: Readonly<Record<string, number>>;
}

const r = (v: number | undefined): number | null => (v === undefined ? null : Math.round(v));

export function buildSummary(
  mode: DemoSummary['mode'],
  durationSeconds: number,
  traffic: TrafficTotals,
  status: MeshStatus,
  faults: readonly FaultRecord[],
  comparison?: Comparison,
): DemoSummary {
  /** From the fault to the next fault on the same route, or the end of the run. */
  const windowOf = (f: FaultRecord): [number, number] => {
    const next = faults.find((g) => g !== f && g.route === f.route && g.at > f.at);
    return [f.at, next?.at ?? comparison?.end ?? Number.POSITIVE_INFINITY];
  };
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
      withMesh: comparison ? comparison.mesh.count(f.route, ...windowOf(f)) : null,
      withoutMesh: comparison ? comparison.direct.count(f.route, ...windowOf(f)) : null,
    })),
    withoutMesh: comparison
      ? { requests: comparison.directTotals.requests, clientErrors: comparison.directTotals.clientErrors }
      : null,
    statuses: traffic.statuses,
  };
}

const sec = (v: number | null): string =>
  v === null ? 'not within the demo' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(1)} s`;

const counted = (c: WindowCount): string =>
  `${c.errors} failed and ${c.slow} slower than ${SLOW_MS / 1000} s of ${c.requests}`;

/** The summary for people, one fact a line. */
export function summaryLines(s: DemoSummary, failures: TrafficTotals['failures']): string[] {
  const lines = [
    'summary',
    `  requests sent            ${s.requests} in ${s.durationSeconds} s (${s.idempotentRequests} idempotent)`,
    `  client-visible errors    ${s.clientErrors} (idempotent ${s.idempotentClientErrors}, non-idempotent ${s.nonIdempotentClientErrors})`,
    `  answered after a retry   ${s.retried}; failovers ${s.failovers}`,
    `  pods taken out           ${s.ejections} (breaker opens ${s.breakerOpens}, outlier ejections ${s.outlierEjections})`,
  ];
  if (s.withoutMesh) {
    lines.push(
      `  without the mesh         ${s.withoutMesh.clientErrors} errors in ${s.withoutMesh.requests} requests of the same traffic sent straight to the Services (kube-proxy: one pod per connection)`,
    );
  }
  for (const f of s.faults) {
    if (f.kind === 'kill' || f.kind === 'hang') {
      const mesh =
        f.meshOutMs === null ? '' : `; the mesh marked it ${f.meshOutBy} after ${sec(f.meshOutMs)}`;
      lines.push(
        `  ${f.kind === 'kill' ? 'killed' : 'hung'} ${f.target}: the mesh sent it ${f.requestsAfterFault} request(s) after the fault, the last after ${sec(f.lastRequestMs)}${mesh}; Kubernetes alone took ${sec(f.endpointRemovedMs)} (readiness removed the endpoint)`,
      );
      if (f.withMesh && f.withoutMesh) {
        lines.push(
          `      ${f.route} requests from then on: with the mesh ${counted(f.withMesh)}; without it ${counted(f.withoutMesh)}`,
        );
      }
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
