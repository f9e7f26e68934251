import type { SmartServiceOptions } from '@kubesmart/core';
import type { HashOn, RouteConfig } from './config/gatewayConfig.js';

/** The `ks.service(name, options)` options of a route: its balancer, health, retry (core's own shape) and breaker settings. */
export function meshOptionsOf(route: RouteConfig): SmartServiceOptions {
  const { retry, healthCheck, circuitBreaker, outlierDetection } = route;
  return {
    namespace: route.namespace,
    ...(route.port === undefined ? {} : { port: route.port }),
    balancer: route.balancer,
    health:
      healthCheck === false
        ? false
        : {
            type: 'http',
            path: healthCheck.path,
            intervalMs: healthCheck.intervalMs,
            timeoutMs: healthCheck.timeoutMs,
            healthyThreshold: healthCheck.healthyThreshold,
            unhealthyThreshold: healthCheck.unhealthyThreshold,
          },
    outlierDetection:
      outlierDetection === false
        ? false
        : {
            consecutiveFailures: outlierDetection.consecutiveFailures,
            baseEjectionTimeMs: outlierDetection.baseEjectionMs,
            maxEjectionPercent: outlierDetection.maxEjectionPercent,
          },
    circuitBreaker:
      circuitBreaker === false
        ? false
        : {
            failureThreshold: circuitBreaker.failureThreshold,
            openMs: circuitBreaker.openMs,
            halfOpenProbes: circuitBreaker.halfOpenRequests,
          },
    retry,
  };
}

/** The consistent-hashing key of a request, read where the route says; undefined without one. */
export function hashKeyOf(
  hashOn: HashOn | undefined,
  routePath: string,
  url: URL,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): string | undefined {
  if (hashOn === undefined) return undefined;
  switch (hashOn.from) {
    case 'header': {
      const value = headers[hashOn.name];
      return Array.isArray(value) ? value[0] : value;
    }
    case 'query':
      return url.searchParams.get(hashOn.name) ?? undefined;
    case 'path': {
      const rest = url.pathname.slice(routePath.length).split('/').filter(Boolean);
      return rest[hashOn.segment - 1];
    }
  }
}
