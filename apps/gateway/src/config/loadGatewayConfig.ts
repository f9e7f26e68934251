import { readFile } from 'node:fs/promises';
import type { Logger } from '@kubesmart/core';
import { parse as parseYaml } from 'yaml';
import { ConfigReader, describe, join } from './configReader.js';
import {
  BALANCER_KINDS,
  type BalancerKind,
  type CircuitBreakerConfig,
  type GatewayConfig,
  type HashOn,
  type HealthCheckConfig,
  type OutlierDetectionConfig,
  RESERVED_PATHS,
  type RetryConfig,
  type RouteConfig,
} from './gatewayConfig.js';
import { isDnsLabel, isHost, isNamespace } from './kubeNames.js';
import { RETRY_CONFIG_DEFAULTS, readRetry } from './readRetry.js';

/** A configuration that cannot be used, with every problem found and where. */
export class GatewayConfigError extends Error {
  readonly code = 'INVALID_CONFIG';
  readonly issues: readonly string[];
  constructor(source: string, issues: readonly string[]) {
    super(
      `The gateway configuration ${source} is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues
        .map((issue) => `  - ${issue}`)
        .join('\n')}\nFix these and start again; config/gateway.yaml is a complete example.`,
    );
    this.name = 'GatewayConfigError';
    this.issues = issues;
  }
}

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

const TOP_KEYS = ['gateway', 'mesh', 'services'];
const GATEWAY_KEYS = ['host', 'port', 'namespace', 'body_limit_bytes'];
const MESH_KEYS = ['balancer', 'health_check', 'retry', 'circuit_breaker', 'outlier_detection'];
const SERVICE_KEYS = ['name', 'namespace', 'path', 'port', 'strip_prefix', 'hash_on', ...MESH_KEYS];
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

interface MeshLayer {
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

function readMesh(r: ConfigReader, o: Record<string, unknown>, path: string, base: MeshLayer): MeshLayer {
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

function readHashOn(r: ConfigReader, value: unknown, path: string): HashOn | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(header|query|path):(.+)$/.exec(value) : null;
  if (match === null) {
    return r.issue(
      path,
      `must be header:<name>, query:<name> or path:<segment number>, got ${describe(value)}`,
    );
  }
  const [, from, name] = match as unknown as [string, 'header' | 'query' | 'path', string];
  if (from === 'path') {
    const segment = Number(name);
    if (!Number.isInteger(segment) || segment < 1)
      return r.issue(path, `path:<n> needs a segment number from 1, got ${name}`);
    return { from, segment };
  }
  return { from, name: from === 'header' ? name.toLowerCase() : name };
}

/** A namespace from `obj[key]`, checked as Kubernetes checks it (a DNS-1123 label). */
function readNamespace(r: ConfigReader, obj: Record<string, unknown>, path: string): string | undefined {
  const namespace = r.string(obj, 'namespace', path);
  if (namespace === undefined || isNamespace(namespace)) return namespace;
  return r.issue(
    join(path, 'namespace'),
    `must be a Kubernetes namespace (a DNS-1123 label: at most 63 lowercase letters, digits and -, starting and ending with a letter or digit), got ${describe(namespace)}`,
  );
}

function readRoute(
  r: ConfigReader,
  key: string,
  value: unknown,
  mesh: MeshLayer,
  namespace: string,
): RouteConfig | undefined {
  const path = `services.${key}`;
  const o = r.object(value, path, SERVICE_KEYS);
  if (o === undefined) return undefined;
  const service = r.string(o, 'name', path) ?? key;
  if (!isDnsLabel(service)) {
    r.issue(
      join(path, 'name'),
      `must be a Kubernetes Service name (lowercase letters, digits, -), got ${describe(service)}`,
    );
  }
  const routePath = r.string(o, 'path', path) ?? `/${key}`;
  if (!/^\/[A-Za-z0-9._~\-/]*$/.test(routePath) || (routePath.length > 1 && routePath.endsWith('/'))) {
    r.issue(
      join(path, 'path'),
      `must start with / and not end with one, like /catalog; got ${describe(routePath)}`,
    );
  }
  const reserved = RESERVED_PATHS.find((p) => routePath === p || routePath.startsWith(`${p}/`));
  if (reserved !== undefined)
    r.issue(join(path, 'path'), `${reserved} is served by the gateway itself; pick another prefix`);
  let port: string | number | undefined;
  if (o.port !== undefined) {
    if (typeof o.port === 'string' && o.port !== '') port = o.port;
    else port = r.int(o, 'port', path, 1, 65535);
  }
  const layer = readMesh(r, o, path, mesh);
  const hashOn = readHashOn(r, o.hash_on, join(path, 'hash_on'));
  if (hashOn !== undefined && layer.balancer !== 'consistent-hash') {
    r.issue(
      join(path, 'hash_on'),
      `is used only with balancer: consistent-hash (this route uses ${layer.balancer})`,
    );
  }
  const healthPath = layer.health.path ?? `${routePath}/health`;
  return {
    name: key,
    service,
    namespace: readNamespace(r, o, path) ?? namespace,
    path: routePath,
    port,
    stripPrefix: r.boolean(o, 'strip_prefix', path) ?? false,
    balancer: layer.balancer,
    hashOn,
    healthCheck: layer.healthOff ? false : { ...layer.health, path: healthPath },
    retry: layer.retry,
    circuitBreaker: layer.breaker,
    outlierDetection: layer.outlier,
  };
}

export interface LoadGatewayConfigOptions {
  /** Gets a warning for each deprecated key the configuration uses. @default none */
  logger?: Pick<Logger, 'warn'>;
}

/**
 * Validates a parsed configuration (a YAML document's value); throws {@link GatewayConfigError}.
 * Deprecated keys still work: each is in `warnings` and logged.
 */
export function parseGatewayConfig(
  input: unknown,
  source = '(inline)',
  { logger }: LoadGatewayConfigOptions = {},
): GatewayConfig {
  const r = new ConfigReader();
  const top = r.object(input ?? {}, '', TOP_KEYS) ?? {};
  const gw = top.gateway === undefined ? {} : (r.object(top.gateway, 'gateway', GATEWAY_KEYS) ?? {});
  const namespace = readNamespace(r, gw, 'gateway') ?? 'default';
  const base: MeshLayer = {
    balancer: MESH_DEFAULTS.balancer,
    health: { ...MESH_DEFAULTS.healthCheck },
    healthOff: false,
    retry: MESH_DEFAULTS.retry,
    breaker: MESH_DEFAULTS.circuitBreaker,
    outlier: MESH_DEFAULTS.outlierDetection,
  };
  const meshObject = top.mesh === undefined ? {} : r.object(top.mesh, 'mesh', MESH_KEYS);
  const mesh = meshObject === undefined ? base : readMesh(r, meshObject, 'mesh', base);
  if (mesh.health.path !== undefined)
    r.issue('mesh.health_check.path', 'set the health check path per service, not in mesh');

  const routes: RouteConfig[] = [];
  const services =
    top.services === undefined
      ? r.issue('services', 'is required: at least one service to route to')
      : r.mapping(top.services, 'services');
  for (const [key, value] of Object.entries(services ?? {})) {
    const route = readRoute(r, key, value, mesh, namespace);
    if (route !== undefined) routes.push(route);
  }
  if (services !== undefined && routes.length === 0 && r.issues.length === 0)
    r.issue('services', 'is empty: add at least one service');
  const seen = new Map<string, string>();
  for (const route of routes) {
    const other = seen.get(route.path);
    if (other !== undefined)
      r.issue(`services.${route.name}.path`, `${route.path} is already the path of ${other}`);
    seen.set(route.path, route.name);
  }
  const host = r.string(gw, 'host', 'gateway');
  if (host !== undefined && !isHost(host)) {
    r.issue(
      'gateway.host',
      `must be an IP address (127.0.0.1, 0.0.0.0, ::) or a host name (localhost), got ${describe(host)}`,
    );
  }
  const config: GatewayConfig = {
    host: host ?? '127.0.0.1',
    port: r.int(gw, 'port', 'gateway', 0, 65535) ?? 8080,
    namespace,
    bodyLimitBytes: r.int(gw, 'body_limit_bytes', 'gateway', 1, 100 * 1024 * 1024) ?? 1024 * 1024,
    routes,
    warnings: Object.freeze([...r.warnings]),
  };
  if (r.issues.length > 0) throw new GatewayConfigError(source, r.issues);
  for (const warning of config.warnings) logger?.warn({ source }, `gateway configuration: ${warning}`);
  return config;
}

/** Reads and validates a YAML configuration file; throws {@link GatewayConfigError} with every problem. */
export async function loadGatewayConfig(
  file: string,
  options: LoadGatewayConfigOptions = {},
): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new GatewayConfigError(file, [`cannot be read: ${(error as Error).message}`]);
  }
  return parseGatewayConfigYaml(text, file, options);
}

/** Parses YAML text, then validates it. */
export function parseGatewayConfigYaml(
  text: string,
  source = '(inline)',
  options: LoadGatewayConfigOptions = {},
): GatewayConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new GatewayConfigError(source, [`is not valid YAML: ${(error as Error).message}`]);
  }
  return parseGatewayConfig(doc, source, options);
}
