import type { EndpointState } from '../endpoints/endpointState.js';
import { CircuitOpenError, type KubeSmartError, NoHealthyEndpointsError } from '../errors.js';

/** The Service an error is about: its bare name, and what the advice needs to know. */
export interface ServiceTarget {
  readonly name: string;
  readonly namespace?: string | undefined;
  /** How its endpoints are found. @default 'endpointslices' */
  readonly source?: string | undefined;
  /** For `source: 'pods'`. @default `app=<name>` */
  readonly labelSelector?: string | undefined;
  /** Whether a fallback endpoint is configured. @default false */
  readonly hasFallback?: boolean | undefined;
}

/** `Service "cart" in namespace "shop"`, or the bare name when the namespace is not known. */
export function describeService(target: ServiceTarget): string {
  return target.namespace === undefined
    ? target.name
    : `Service "${target.name}" in namespace "${target.namespace}"`;
}

/** The facts every error about a service carries: the bare name and, when known, the namespace. */
export function serviceDetails(target: ServiceTarget): { service: string; namespace?: string } {
  return target.namespace === undefined
    ? { service: target.name }
    : { service: target.name, namespace: target.namespace };
}

/** What to check when a service has no endpoint to offer. */
export function noEndpointAdvice(target: ServiceTarget): string {
  const { name, namespace } = target;
  const scope = namespace === undefined ? '' : ` -n ${namespace}`;
  const look =
    target.source === 'pods'
      ? `kubectl get pods${scope} -l ${target.labelSelector ?? `app=${name}`}`
      : `kubectl get endpointslices${scope} -l kubernetes.io/service-name=${name}`;
  const fallback = target.hasFallback ? '' : ', or configure `fallback: { host, port }` to use meanwhile';
  return `Check that its pods are running and ready (${look})${fallback}.`;
}

export interface NoEndpointContext {
  /** Whether discovery has answered. @default true */
  readonly ready?: boolean;
  /** Endpoints that could take the call but whose breaker refused it. @default none */
  readonly refused?: ReadonlySet<EndpointState>;
  /** A call found no endpoint for its first attempt (rather than `pick()` finding none). @default false */
  readonly call?: boolean;
}

/**
 * The one error for "no endpoint can take this": a {@link CircuitOpenError} when breakers refused every
 * candidate, else a {@link NoHealthyEndpointsError} saying why (discovery not answered yet, no ready
 * pods, or how many are unhealthy, ejected or open) and what to check.
 */
export function noEndpointError(
  target: ServiceTarget,
  states: readonly EndpointState[],
  context: NoEndpointContext = {},
): KubeSmartError {
  const what = describeService(target);
  const refused = context.refused ?? new Set<EndpointState>();
  if (refused.size > 0) {
    const endpoints = [...refused].map((state) => state.id);
    return new CircuitOpenError(
      `No call was sent to ${what}: the circuit breaker of every endpoint that could take it is open (${endpoints.join(', ')}) after repeated failures. Calls resume when a breaker turns half-open; check those pods' logs for why they fail.`,
      { details: { ...serviceDetails(target), endpoints } },
    );
  }
  if (context.call) {
    return new NoHealthyEndpointsError(
      `No endpoint of ${what} can take the call: it has no ready pods, or all of them are unhealthy or ejected. ${noEndpointAdvice(target)}`,
      { details: serviceDetails(target) },
    );
  }
  const details = { ...serviceDetails(target), endpoints: states.length };
  if (context.ready === false) {
    return new NoHealthyEndpointsError(
      `${what} has no endpoints yet: discovery has not answered. Await svc.ready() before svc.pick(), or use svc.call()/svc.fetch(), which wait for it.`,
      { details },
    );
  }
  if (states.length === 0) {
    return new NoHealthyEndpointsError(`${what} has no ready endpoints. ${noEndpointAdvice(target)}`, {
      details,
    });
  }
  const count = (test: (s: EndpointState) => boolean): number => states.filter(test).length;
  const why = [
    `${count((s) => s.health === 'unhealthy')} failing health checks`,
    `${count((s) => s.ejected)} ejected by outlier detection`,
    `${count((s) => s.circuit === 'open')} with an open circuit breaker`,
  ].join(', ');
  return new NoHealthyEndpointsError(
    `None of the ${states.length} endpoints of ${what} can take a request: ${why}. svc.explain() says why for each; check those pods' logs and readiness. A \`panicThresholdPercent\` above 0 sends traffic to every endpoint when too few are available.`,
    { details },
  );
}

/** The error of `pickReachable()` when none of the endpoints it checked accepted a connection. */
export function unreachableError(base: KubeSmartError, reason: string | undefined): KubeSmartError {
  if (reason === undefined) return base;
  return new NoHealthyEndpointsError(
    `${base.message} The endpoints checked did not accept connections (last: ${reason}).`,
    { details: { ...base.details, lastUnreachable: reason } },
  );
}
