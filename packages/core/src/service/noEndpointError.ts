import type { EndpointState } from '../endpoints/endpointState.js';
import { type KubeSmartError, NoHealthyEndpointsError } from '../errors.js';
import type { ResolvedServiceOptions } from './smartServiceOptions.js';

interface ServiceFacts {
  readonly name: string;
  readonly namespace: string;
  readonly options: ResolvedServiceOptions;
}

/** What to check when a service has no endpoint to offer. */
export function noEndpointAdvice(service: ServiceFacts): string {
  const { name, namespace, options } = service;
  const look =
    options.source === 'pods'
      ? `kubectl get pods -n ${namespace} -l ${options.labelSelector ?? `app=${name}`}`
      : `kubectl get endpointslices -n ${namespace} -l kubernetes.io/service-name=${name}`;
  const fallback = options.fallback ? '' : ', or configure `fallback: { host, port }` to use meanwhile';
  return `Check that its pods are running and ready (${look})${fallback}.`;
}

/** The `NoHealthyEndpointsError` of `pick()`, `call()` and `fetch()`, saying why and what to do. */
export function noEndpointError(
  service: ServiceFacts,
  states: readonly EndpointState[],
  ready: boolean,
): NoHealthyEndpointsError {
  const what = `Service "${service.name}" in namespace "${service.namespace}"`;
  const details = { service: service.name, namespace: service.namespace, endpoints: states.length };
  if (!ready) {
    return new NoHealthyEndpointsError(
      `${what} has no endpoints yet: discovery has not answered. Await svc.ready() before svc.pick(), or use svc.call()/svc.fetch(), which wait for it.`,
      { details },
    );
  }
  if (states.length === 0) {
    return new NoHealthyEndpointsError(`${what} has no ready endpoints. ${noEndpointAdvice(service)}`, {
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
