/**
 * The proxy's configuration, read from environment variables (and `--mock`) in this one module.
 * Every variable is documented in README.md.
 */

export type AuthMode = 'apikey' | 'tokenreview' | 'none';

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
  /** Secret holding the API keys' SHA-256 hashes (apikey mode). */
  apiKeysSecret: string;
  tlsCertFile: string | undefined;
  tlsKeyFile: string | undefined;
  /** Requests per second each caller may make on average. */
  rateLimitPerSecond: number;
  /** Requests a caller may make at once before the rate applies. */
  rateLimitBurst: number;
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
  return {
    port: int(env, 'PORT', 5001),
    host: env.HOST || '0.0.0.0',
    kubeconfig: env.KUBECONFIG || undefined,
    mock: argv.includes('--mock') || env.KV_PROXY_MOCK === '1' || env.KV_PROXY_MOCK === 'true',
    authMode,
    namespace,
    namespaces: list(env.KV_NAMESPACES, [namespace]),
    buckets: list(env.KV_BUCKETS, ['*']),
    apiKeysSecret: env.API_KEYS_SECRET || 'kv-proxy-api-keys',
    tlsCertFile,
    tlsKeyFile,
    rateLimitPerSecond: int(env, 'RATE_LIMIT_RPS', 50, 1),
    rateLimitBurst: int(env, 'RATE_LIMIT_BURST', 100, 1),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 2 * 1024 * 1024, 1024),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
