import type { Balancer } from '../balancing/balancer.js';
import { createBalancer } from '../balancing/createBalancer.js';
import { createPicker, type EndpointPicker } from '../balancing/endpointPicker.js';
import { ZonePreferenceBalancer } from '../balancing/zonePreference.js';
import { EndpointSet, type EndpointSetChange } from '../endpoints/endpointSet.js';
import { InvalidArgumentError } from '../errors.js';
import { ActiveHealthChecker } from '../health/activeHealthChecker.js';
import { OutlierDetector } from '../health/outlierDetector.js';
import { CircuitBreaker } from '../resilience/circuitBreaker.js';
import { Failover } from '../resilience/failover.js';
import { HedgePolicy } from '../resilience/hedging.js';
import { ReachablePicker } from '../resilience/reachablePicker.js';
import { RetryBudget } from '../resilience/retryBudget.js';
import type { Clock, Endpoint, Logger, Random } from '../types.js';
import { reportFailure } from './callerOutcomes.js';
import { EndpointPools } from './endpointPools.js';
import type { ResolvedServiceOptions } from './smartServiceOptions.js';

/** The engines behind one service, each built from its options and fed by the ones below it. */
export interface ServiceEngines {
  readonly set: EndpointSet;
  readonly health: ActiveHealthChecker | undefined;
  readonly outliers: OutlierDetector | undefined;
  readonly breaker: CircuitBreaker | undefined;
  readonly budget: RetryBudget;
  readonly balancer: Balancer;
  readonly picker: EndpointPicker;
  readonly failover: Failover;
  readonly reachable: ReachablePicker;
  readonly pools: EndpointPools;
}

export interface EngineEnvironment {
  readonly service: string;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
}

/** A budget so large it never refuses: `retry.budget: false`. */
const UNLIMITED_BUDGET = { percent: 1000, minRetriesPerSecond: 1e9 } as const;

function buildBalancer(o: ResolvedServiceOptions, env: EngineEnvironment): Balancer {
  const spec = o.balancer;
  const custom = typeof spec === 'object' && 'pick' in spec && typeof spec.pick === 'function';
  const inner = custom
    ? (spec as Balancer)
    : createBalancer({
        ...(typeof spec === 'string' ? { type: spec } : spec),
        random: env.random,
        clock: env.clock,
      });
  if (o.zoneAware === false) return inner;
  if (o.zone === undefined) {
    throw new InvalidArgumentError(
      `Service "${env.service}": zoneAware needs this process's zone. Pass \`zone\` to ks.service() or createKubeSmart() (for instance from the node's topology.kubernetes.io/zone label, given to the pod through the downward API).`,
    );
  }
  return new ZonePreferenceBalancer(inner, { ...o.zoneAware, zone: o.zone });
}

/** Builds and wires the engines of a service; the caller feeds endpoints with {@link applyEndpoints}. */
export function buildEngines(o: ResolvedServiceOptions, env: EngineEnvironment): ServiceEngines {
  const { clock, random, logger, service } = env;
  const set = new EndpointSet({
    panicThresholdPercent: o.panicThresholdPercent,
    latencyDecayMs: o.latencyDecayMs,
  });
  const health =
    o.health === false ? undefined : new ActiveHealthChecker({ ...o.health, clock, random, logger });
  const outliers =
    o.outlierDetection === false
      ? undefined
      : new OutlierDetector(set, { ...o.outlierDetection, clock, logger });
  const breaker =
    o.circuitBreaker === false ? undefined : new CircuitBreaker({ ...o.circuitBreaker, clock, logger });
  const { budget: budgetOptions, ...retry } = o.retry;
  const budget = new RetryBudget({ ...(budgetOptions === false ? UNLIMITED_BUDGET : budgetOptions), clock });
  const balancer = buildBalancer(o, env);
  const picker = createPicker(set, balancer);
  const hedge = o.hedge === false ? undefined : new HedgePolicy(o.hedge, clock);
  const failover = new Failover({
    ...retry,
    picker,
    retryBudget: budget,
    service,
    namespace: o.namespace,
    clock,
    random,
    logger,
    ...(breaker ? { breaker } : {}),
    ...(outliers ? { outlierDetector: outliers } : {}),
    ...(hedge ? { hedge } : {}),
  });
  const engines = { set, health, outliers, breaker, budget, balancer, picker, failover };
  const reachable = new ReachablePicker({
    ...o.reachability,
    picker,
    clock,
    onUnreachable: (state, reason) =>
      reportFailure(engines, state, { reason, conclusive: true, now: clock.now() }),
  });
  const pools = new EndpointPools(o.http, logger);
  return { ...engines, reachable, pools };
}

/**
 * Sets the service's endpoints: states of endpoints that stay are kept, new ones are health
 * checked, and everything held for one that left (timers, breaker, connection pool) is released.
 */
export function applyEndpoints(engines: ServiceEngines, endpoints: readonly Endpoint[]): EndpointSetChange {
  const change = engines.set.update(endpoints);
  for (const state of change.removed) {
    engines.health?.remove(state);
    engines.outliers?.remove(state);
    engines.breaker?.remove(state);
    // Also when a new pod took the same IP: the old pod's keep-alive sockets are of no use.
    engines.pools.release(state.id);
  }
  for (const state of change.added) engines.health?.add(state);
  return change;
}

/** Stops every timer, probe and socket of the engines. */
export async function closeEngines(engines: ServiceEngines): Promise<void> {
  engines.health?.close();
  engines.outliers?.close();
  engines.breaker?.close();
  await engines.pools.close();
}
