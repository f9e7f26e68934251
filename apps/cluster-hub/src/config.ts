import { hostname } from 'node:os';

/**
 * The hub's configuration, read from environment variables in this one module. The KubeSage seed's
 * variables keep their meaning and defaults; its RabbitMQ and user-service variables are gone (keys
 * live in a Secret). Every variable is in README.md.
 */
export interface HubConfig {
  host: string;
  port: number;
  /** Debug logging. */
  debug: boolean;
  /** Time an agent has to answer a request, in ms (WEBSOCKET_TIMEOUT is in seconds). */
  requestTimeoutMs: number;
  rateLimitEnabled: boolean;
  rateLimitPerMinute: number;
  useSsl: boolean;
  sslKeyFile: string;
  sslCertFile: string;
  /** Shared rate-limit counters across replicas. */
  redisUrl: string | undefined;
  /** Namespace of the key Secrets and the agent Leases. */
  namespace: string;
  /** This replica's name: holder of its agents' Leases. */
  replicaId: string;
  /** URL other replicas use to reach this one (the hop). */
  advertiseUrl: string | undefined;
  /** This replica's pod IP (downward API): the default of `advertiseUrl`. */
  podIp: string | undefined;
  apiKeysSecret: string;
  agentsSecret: string;
  /** Secret holding the replicas' shared hop secret. */
  internalSecret: string;
  /** Seconds an agent Lease is valid without renewal. */
  leaseDurationSeconds: number;
  kubeconfig: string | undefined;
  heartbeatMs: number;
  handshakesPerSecond: number;
  maxFrameBytes: number;
  streamWindow: number;
  /** Failed authentications per client address per minute before it is refused. */
  authFailuresPerMinute: number;
  /** Start an embedded emulated cluster for the keys and Leases. */
  mock: boolean;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name}=${JSON.stringify(env[name])}: use true or false.`);
}

function num(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, integer = true): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new ConfigError(
      `${name}=${JSON.stringify(raw)} is not ${integer ? 'an integer' : 'a number'} >= ${min}.`,
    );
  }
  return value;
}

/** Reads the configuration; throws {@link ConfigError} naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = []): HubConfig {
  return {
    host: env.HOST?.trim() || '0.0.0.0',
    port: num(env, 'PORT', 8008, 0),
    debug: bool(env, 'DEBUG', true),
    requestTimeoutMs: Math.round(num(env, 'WEBSOCKET_TIMEOUT', 30, 0.001, false) * 1000),
    rateLimitEnabled: bool(env, 'RATE_LIMIT_ENABLED', true),
    rateLimitPerMinute: num(env, 'RATE_LIMIT_REQUESTS_PER_MINUTE', 60, 1),
    useSsl: bool(env, 'USE_SSL', false),
    sslKeyFile: env.SSL_KEYFILE?.trim() || 'key.pem',
    sslCertFile: env.SSL_CERTFILE?.trim() || 'cert.pem',
    redisUrl: env.REDIS_URL?.trim() || undefined,
    namespace: env.POD_NAMESPACE?.trim() || 'default',
    replicaId: env.POD_NAME?.trim() || hostname(),
    advertiseUrl: env.HUB_ADVERTISE_URL?.trim() || undefined,
    podIp: env.POD_IP?.trim() || undefined,
    apiKeysSecret: env.HUB_API_KEYS_SECRET?.trim() || 'cluster-hub-api-keys',
    internalSecret: env.HUB_INTERNAL_SECRET?.trim() || 'cluster-hub-internal',
    leaseDurationSeconds: num(env, 'LEASE_DURATION_SECONDS', 15, 1),
    agentsSecret: env.HUB_AGENTS_SECRET?.trim() || 'cluster-hub-agents',
    kubeconfig: env.KUBECONFIG?.trim() || undefined,
    heartbeatMs: Math.round(num(env, 'HEARTBEAT_INTERVAL', 5, 0.01, false) * 1000),
    handshakesPerSecond: num(env, 'HANDSHAKES_PER_SECOND', 250, 1),
    maxFrameBytes: num(env, 'MAX_FRAME_BYTES', 1024 * 1024, 1024),
    streamWindow: num(env, 'STREAM_WINDOW', 8, 1),
    authFailuresPerMinute: num(env, 'AUTH_FAILURES_PER_MINUTE', 20, 1),
    mock: argv.includes('--mock') || bool(env, 'HUB_MOCK', false),
  };
}
