/**
 * The proxy's configuration, read from environment variables (and `--mock`) in this one module.
 * Every variable is documented in README.md.
 */

export type AuthMode = 'apikey' | 'tokenreview' | 'none';

/** What each bucket lists and watches: the namespace's ConfigMaps, or only its own (see core's `cacheScope`). */
export type CacheScope = 'namespace' | 'bucket';

export interface ProxyConfig {
  port: number;
  host: string;
  /** Path of a kubeconfig file; undefined: in-cluster service account, then ~/.kube/config. */
  kubeconfig: string | undefined;
  /** Start an embedded emulated cluster when no cluster is configured. */
  mock: boolean;
  authMode: AuthMode;
  /** Namespace the proxy runs in: default namespace of the allow-list and of the API key Secret. */
  namespace: string;
  /** Namespaces served; `['*']` serves any. */
  namespaces: string[];
  /** Buckets (ConfigMap names) served; `['*']` serves any. */
  buckets: string[];
  /** `bucket` when the buckets are named (a Role limited by resourceNames suffices), else `namespace`. */
  cacheScope: CacheScope;
  /** Buckets open at once; beyond it the least recently used idle bucket is closed. */
  maxOpenBuckets: number;
  /** SSE watch streams open at once (503 beyond). */
  sseMaxStreams: number;
  /** SSE watch streams one caller may hold (429 beyond). */
  sseMaxStreamsPerCaller: number;
  /** SSE watch streams on one bucket and prefix (429 beyond). */
  sseMaxStreamsPerKey: number;
  /** Buckets with their own label values in `/metrics`; the others are summed under `bucket="_other"`. */
  metricsMaxBuckets: number;
  /** A bearer token that may read `/metrics` (for a scraper without an API key); unset: callers' credentials. */
  metricsToken: string | undefined;
  /** Serve `/metrics` only on this port, without credentials (keep it off the Service and Ingress). */
  metricsPort: number | undefined;
  /** `/docs` without credentials. */
  docsPublic: boolean;
  /** Reads say stale once a bucket's watch was silent this long, in ms (core's `staleAfterMs`). */
  staleAfterMs: number;
  /** Secret holding the API keys' SHA-256 hashes (apikey mode). */
  apiKeysSecret: string;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** Requests per second each caller may make on average. */
  rateLimitPerSecond: number;
  /** Requests a caller may make at once before the rate applies. */
  rateLimitBurst: number;
  /** Redis URL: the rate limit holds across replicas. Without it each replica counts alone. */
  redisUrl: string | undefined;
  /** Largest request body, in bytes (a value may be up to 1 MiB). */
  bodyLimitBytes: number;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function list(value: string | undefined, fallback: string[]): string[] {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length ? items : fallback;
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)} is not an integer >= ${min}.`);
  }
  return value;
}

/** Reads the configuration; throws {@link ConfigError} naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): ProxyConfig {
  const authMode = (env.AUTH_MODE ?? 'apikey').toLowerCase();
  if (authMode !== 'apikey' && authMode !== 'tokenreview' && authMode !== 'none') {
    throw new ConfigError(`AUTH_MODE=${JSON.stringify(env.AUTH_MODE)}: use apikey, tokenreview or none.`);
  }
  const tlsCertFile = env.TLS_CERT_FILE || undefined;
  const tlsKeyFile = env.TLS_KEY_FILE || undefined;
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    throw new ConfigError('TLS_CERT_FILE and TLS_KEY_FILE go together: set both to serve HTTPS, or neither.');
  }
  const namespace = env.POD_NAMESPACE || 'default';
  const buckets = list(env.KV_BUCKETS, ['*']);
  const cacheScope = (env.KV_CACHE_SCOPE || (buckets.includes('*') ? 'namespace' : 'bucket')).toLowerCase();
  if (cacheScope !== 'namespace' && cacheScope !== 'bucket') {
    throw new ConfigError(`KV_CACHE_SCOPE=${JSON.stringify(env.KV_CACHE_SCOPE)}: use namespace or bucket.`);
  }
  if (cacheScope === 'bucket' && buckets.includes('*')) {
    throw new ConfigError('KV_CACHE_SCOPE=bucket needs the buckets named in KV_BUCKETS (not *).');
  }
  const metricsToken = env.METRICS_TOKEN || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError('METRICS_TOKEN must be at least 16 characters long.');
  }
  return {
    port: int(env, 'PORT', 5001),
    host: env.HOST || '0.0.0.0',
    kubeconfig: env.KUBECONFIG || undefined,
    mock: argv.includes('--mock') || env.KV_PROXY_MOCK === '1' || env.KV_PROXY_MOCK === 'true',
    authMode,
    namespace,
    namespaces: list(env.KV_NAMESPACES, [namespace]),
    buckets,
    cacheScope,
    maxOpenBuckets: int(env, 'MAX_OPEN_BUCKETS', 256, 1),
    sseMaxStreams: int(env, 'SSE_MAX_STREAMS', 1000, 1),
    sseMaxStreamsPerCaller: int(env, 'SSE_MAX_STREAMS_PER_CALLER', 32, 1),
    sseMaxStreamsPerKey: int(env, 'SSE_MAX_STREAMS_PER_KEY', 64, 1),
    metricsMaxBuckets: int(env, 'METRICS_MAX_BUCKETS', 50, 1),
    metricsToken,
    metricsPort: env.METRICS_PORT ? int(env, 'METRICS_PORT', 0) : undefined,
    docsPublic: env.DOCS_PUBLIC === '1' || env.DOCS_PUBLIC === 'true',
    staleAfterMs: int(env, 'STALE_AFTER_MS', 65_000, 1),
    apiKeysSecret: env.API_KEYS_SECRET || 'kv-proxy-api-keys',
    tlsCertFile,
    tlsKeyFile,
    rateLimitPerSecond: int(env, 'RATE_LIMIT_RPS', 50, 1),
    rateLimitBurst: int(env, 'RATE_LIMIT_BURST', 100, 1),
    redisUrl: env.REDIS_URL?.trim() || undefined,
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
