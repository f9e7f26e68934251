import { type ConfigReader, describe, join } from './configReader.js';
import {
  BALANCER_KINDS,
  type BalancerKind,
  type CircuitBreakerConfig,
  type HealthCheckConfig,
  type OutlierDetectionConfig,
  type RetryConfig,
} from './gatewayConfig.js';
import { RETRY_CONFIG_DEFAULTS, readRetry } from './readRetry.js';

/** The mesh settings of a route (`mesh:`, then each service's overrides): balancer, health, retry, breaker, outlier. */

/** Defaults of every route: 3 failures open a breaker for 30 s; retries are core's (3 attempts, no retry on 4xx). */
export const MESH_DEFAULTS = Object.freeze({
  balancer: 'least-request' as BalancerKind,
  healthCheck: Object.freeze({
    intervalMs: 5000,
    timeoutMs: 1000,
    healthyThreshold: 2,
    unhealthyThreshold: 2,
  }),
  retry: RETRY_CONFIG_DEFAULTS,
  circuitBreaker: Object.freeze<CircuitBreakerConfig>({
    failureThreshold: 3,
    openMs: 30_000,
    halfOpenRequests: 1,
  }),
  outlierDetection: Object.freeze<OutlierDetectionConfig>({
    consecutiveFailures: 5,
    baseEjectionMs: 30_000,
    maxEjectionPercent: 50,
  }),
});

export const MESH_KEYS = ['balancer', 'health_check', 'retry', 'circuit_breaker', 'outlier_detection'];
const HEALTH_KEYS = [
  'path',
  'interval_ms',
  'interval_seconds',
  'timeout_ms',
  'timeout_seconds',
  'healthy_threshold',
  'unhealthy_threshold',
];
const BREAKER_KEYS = ['failure_threshold', 'timeout_ms', 'timeout_seconds', 'half_open_requests'];
const OUTLIER_KEYS = ['consecutive_failures', 'ejection_ms', 'ejection_seconds', 'max_ejection_percent'];
const HOUR = 3_600_000;

export interface MeshLayer {
  balancer: BalancerKind;
  health: Omit<HealthCheckConfig, 'path'> & { path?: string };
  healthOff: boolean;
  retry: RetryConfig;
  breaker: CircuitBreakerConfig | false;
  outlier: OutlierDetectionConfig | false;
}

function readHealth(
  r: ConfigReader,
  value: unknown,
  path: string,
  base: MeshLayer['health'],
): MeshLayer['health'] | false {
  if (value === false) return false;
  if (typeof value === 'string') {
    if (!value.startsWith('/'))
      r.issue(path, `a health check path must start with /, got ${describe(value)}`);
    return { ...base, path: value };
  }
  const o = r.object(value, path, HEALTH_KEYS);
  if (o === undefined) return base;
  const hcPath = r.string(o, 'path', path);
  if (hcPath !== undefined && !hcPath.startsWith('/')) r.issue(join(path, 'path'), 'must start with /');
  const next = {
    path: hcPath ?? base.path,
    intervalMs: r.duration(o, 'interval', path, 50, HOUR) ?? base.intervalMs,
    timeoutMs: r.duration(o, 'timeout', path, 10, 60_000) ?? base.timeoutMs,
    healthyThreshold: r.int(o, 'healthy_threshold', path, 1, 100) ?? base.healthyThreshold,
    unhealthyThreshold: r.int(o, 'unhealthy_threshold', path, 1, 100) ?? base.unhealthyThreshold,
  };
  return next;
}

function readBreaker(
  r: ConfigReader,
  value: unknown,
  path: string,
  base: CircuitBreakerConfig | false,
): CircuitBreakerConfig | false {
  if (value === false) return false;
  const o = r.object(value, path, BREAKER_KEYS);
  const from = base === false ? MESH_DEFAULTS.circuitBreaker : base;
  if (o === undefined) return from;
  return {
    failureThreshold: r.int(o, 'failure_threshold', path, 1, 1000) ?? from.failureThreshold,
    openMs: r.duration(o, 'timeout', path, 1, HOUR) ?? from.openMs,
    halfOpenRequests: r.int(o, 'half_open_requests', path, 1, 100) ?? from.halfOpenRequests,
  };
}

function readOutlier(
  r: ConfigReader,
  value: unknown,
  path: string,
  base: OutlierDetectionConfig | false,
): OutlierDetectionConfig | false {
  if (value === false) return false;
  const o = r.object(value, path, OUTLIER_KEYS);
  const from = base === false ? MESH_DEFAULTS.outlierDetection : base;
  if (o === undefined) return from;
  return {
    consecutiveFailures: r.int(o, 'consecutive_failures', path, 1, 1000) ?? from.consecutiveFailures,
    baseEjectionMs: r.duration(o, 'ejection', path, 1, HOUR) ?? from.baseEjectionMs,
    maxEjectionPercent: r.int(o, 'max_ejection_percent', path, 0, 100) ?? from.maxEjectionPercent,
  };
}

export function readMesh(
  r: ConfigReader,
  o: Record<string, unknown>,
  path: string,
  base: MeshLayer,
): MeshLayer {
  const health =
    o.health_check === undefined
      ? base.health
      : readHealth(r, o.health_check, join(path, 'health_check'), base.health);
  return {
    balancer: r.oneOf(o, 'balancer', path, BALANCER_KINDS) ?? base.balancer,
    health: health === false ? base.health : health,
    healthOff: health === false ? true : o.health_check === undefined ? base.healthOff : false,
    retry: o.retry === undefined ? base.retry : readRetry(r, o.retry, join(path, 'retry'), base.retry),
    breaker:
      o.circuit_breaker === undefined
        ? base.breaker
        : readBreaker(r, o.circuit_breaker, join(path, 'circuit_breaker'), base.breaker),
    outlier:
      o.outlier_detection === undefined
        ? base.outlier
        : readOutlier(r, o.outlier_detection, join(path, 'outlier_detection'), base.outlier),
  };
}
