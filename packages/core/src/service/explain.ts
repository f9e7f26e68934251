import { ZonePreferenceBalancer } from '../balancing/zonePreference.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import type { Endpoint } from '../types.js';
import type { ServiceEngines } from './serviceEngines.js';
import type { ServiceSource } from './serviceStatus.js';

/** Why an endpoint cannot take requests now. */
export type ExclusionReason = 'unhealthy' | 'ejected' | 'circuit-open' | 'other-zone';

/** One endpoint in an {@link Explanation}. */
export interface ExplainedEndpoint {
  readonly endpoint: Endpoint;
  /** The balancer may pick it now. */
  readonly candidate: boolean;
  /** The balancer picked it for this explanation. */
  readonly chosen: boolean;
  /** Why it is out (empty for candidates; in panic mode out endpoints are candidates anyway). */
  readonly excluded: readonly ExclusionReason[];
  /** One human line about it. */
  readonly reason: string;
  readonly inflight: number;
  readonly latencyMs: number;
}

/** Why the balancer picks this endpoint now, and why the others are out: as data and as text. */
export interface Explanation {
  readonly service: string;
  readonly namespace: string;
  readonly source: ServiceSource;
  readonly stale: boolean;
  readonly balancer: string;
  readonly key: string | undefined;
  readonly panic: boolean;
  readonly chosen: Endpoint | undefined;
  /** Why `chosen` was picked, or why nothing could be. */
  readonly why: string;
  readonly endpoints: readonly ExplainedEndpoint[];
  /** The whole explanation, one line per endpoint, for logs and humans. */
  readonly text: string;
}

export interface ExplainFacts {
  service: string;
  namespace: string;
  source: ServiceSource;
  stale: boolean;
  zone: string | undefined;
  now: number;
  /** What to do when no endpoint is known or available. */
  advice: string;
}

const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
const name = (e: Endpoint): string =>
  `${e.id}${e.pod || e.zone ? ` (${[e.pod && `pod ${e.pod}`, e.zone].filter(Boolean).join(', ')})` : ''}`;

function whyPicked(
  engines: ServiceEngines,
  state: EndpointState,
  key: string | undefined,
  now: number,
): string {
  const load = `${state.inflight} in flight, latency ${ms(state.latencyEstimate(now))}`;
  const base =
    engines.balancer instanceof ZonePreferenceBalancer
      ? engines.balancer.name.replace(/\+zone$/, '')
      : engines.balancer.name;
  const reasons: Record<string, string> = {
    'round-robin': 'next in round-robin order',
    random: 'drawn at random',
    'least-request': `fewer requests in flight of two endpoints drawn at random (${load})`,
    'peak-ewma': `lower cost (latency x (in flight + 1)) of two endpoints drawn at random (${load})`,
    'consistent-hash':
      key === undefined ? 'next in round-robin order (no key given)' : `owns key "${key}" on the hash ring`,
  };
  return reasons[base] ?? `chosen by balancer ${engines.balancer.name} (${load})`;
}

function exclusions(
  engines: ServiceEngines,
  state: EndpointState,
  local: string | undefined,
): ExclusionReason[] {
  const out: ExclusionReason[] = [];
  if (state.health === 'unhealthy') out.push('unhealthy');
  if (state.ejected) out.push('ejected');
  if (state.circuit === 'open') out.push('circuit-open');
  if (
    local !== undefined &&
    state.endpoint.zone !== local &&
    engines.balancer instanceof ZonePreferenceBalancer
  ) {
    if (engines.balancer.preferringLocal) out.push('other-zone');
  }
  return out;
}

function describeExclusion(
  engines: ServiceEngines,
  state: EndpointState,
  reason: ExclusionReason,
  facts: ExplainFacts,
): string {
  switch (reason) {
    case 'unhealthy': {
      const check = engines.health?.status().find((h) => h.endpoint.id === state.id);
      return `failing active health checks${check?.lastReason ? ` (${check.lastReason})` : ''}`;
    }
    case 'ejected': {
      const left = (state.ejectedUntil ?? facts.now) - facts.now;
      const count = engines.outliers?.ejections(state) ?? 1;
      return `ejected by outlier detection for ${ms(Math.max(0, left))} more (ejection ${count}, after ${state.consecutiveFailures} failures in a row)`;
    }
    case 'circuit-open':
      return 'circuit breaker open after repeated failures; trial requests resume when it turns half-open';
    case 'other-zone':
      return `in zone ${state.endpoint.zone ?? '(none)'}, not the local zone ${facts.zone}, which has enough endpoints`;
  }
}

/**
 * Explains the balancer's choice for `key` now. It runs one real pick (a round-robin position moves
 * on), so call it for diagnosis, not per request.
 */
export function explain(engines: ServiceEngines, key: string | undefined, facts: ExplainFacts): Explanation {
  const { set } = engines;
  const candidates = new Set(set.candidates);
  const chosenState = engines.picker.pick(key);
  const local = engines.balancer instanceof ZonePreferenceBalancer ? facts.zone : undefined;
  const endpoints = set.all.map((state): ExplainedEndpoint => {
    const excluded = exclusions(engines, state, local);
    const chosen = state === chosenState;
    const candidate = candidates.has(state) && !excluded.includes('other-zone');
    let reason: string;
    if (chosen) reason = `picked: ${whyPicked(engines, state, key, facts.now)}`;
    else if (excluded.length === 0)
      reason = `candidate (${state.inflight} in flight, latency ${ms(state.latencyEstimate(facts.now))})`;
    else {
      const why = excluded.map((r) => describeExclusion(engines, state, r, facts)).join('; ');
      reason = candidate ? `candidate in panic mode although ${why}` : `out: ${why}`;
    }
    return {
      endpoint: state.endpoint,
      candidate,
      chosen,
      excluded,
      reason,
      inflight: state.inflight,
      latencyMs: state.latencyEstimate(facts.now),
    };
  });
  const what = `Service "${facts.service}" in namespace "${facts.namespace}"`;
  const why =
    chosenState === undefined
      ? set.size === 0
        ? `${what} has no endpoints. ${facts.advice}`
        : `No endpoint of ${what} is available. ${facts.advice}`
      : whyPicked(engines, chosenState, key, facts.now);
  const available = set.all.filter((s) => s.available).length;
  const header = [
    `${what}: ${set.size} endpoint${set.size === 1 ? '' : 's'}, ${available} available`,
    `source ${facts.source}${facts.stale ? ' (stale: last known endpoints)' : ''}`,
    `balancer ${engines.balancer.name}${key === undefined ? '' : `, key "${key}"`}`,
    ...(set.panic ? ['panic mode: too few available, so every endpoint is a candidate'] : []),
  ].join('; ');
  const lines = endpoints.map(
    (e) => `  ${e.chosen ? '->' : e.candidate ? '  ' : ' x'} ${name(e.endpoint)}: ${e.reason}`,
  );
  const text = [header, ...(chosenState === undefined ? [`  ${why}`] : []), ...lines].join('\n');
  return {
    service: facts.service,
    namespace: facts.namespace,
    source: facts.source,
    stale: facts.stale,
    balancer: engines.balancer.name,
    key,
    panic: set.panic,
    chosen: chosenState?.endpoint,
    why,
    endpoints,
    text,
  };
}
