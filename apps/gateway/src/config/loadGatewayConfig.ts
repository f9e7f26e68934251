import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Logger } from '@kubesmart/core';
import { parse as parseYaml } from 'yaml';
import { ConfigReader, describe, join } from './configReader.js';
import { type GatewayConfig, type HashOn, RESERVED_PATHS, type RouteConfig } from './gatewayConfig.js';
import { isDnsLabel, isHost, isNamespace } from './kubeNames.js';
import { MESH_DEFAULTS, MESH_KEYS, type MeshLayer, readMesh } from './readMesh.js';

/** A configuration that cannot be used, with every problem found and where (core's `INVALID_ARGUMENT`). */
export class GatewayConfigError extends InvalidArgumentError {
  readonly issues: readonly string[];
  constructor(source: string, issues: readonly string[]) {
    super(
      `The gateway configuration ${source} is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues
        .map((issue) => `  - ${issue}`)
        .join('\n')}\nFix these and start again; config/gateway.yaml is a complete example.`,
      { details: { source, issues } },
    );
    this.name = 'GatewayConfigError';
    this.issues = issues;
  }
}

const TOP_KEYS = ['gateway', 'mesh', 'services'];
const GATEWAY_KEYS = ['host', 'port', 'namespace', 'body_limit_bytes'];
const SERVICE_KEYS = ['name', 'namespace', 'path', 'port', 'strip_prefix', 'hash_on', ...MESH_KEYS];
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
