import type { KubeConfig } from '@kubernetes/client-node';
import { InvalidArgumentError } from '../errors.js';
import type { FallbackEndpoint, SmartServiceOptions } from '../service/smartServiceOptions.js';
import type { Logger } from '../types.js';

/** The environment the seed-parity entry points read; tests pass their own. */
export type ResolverEnv = Readonly<Record<string, string | undefined>>;

/** Per-service settings of kubeSmartService, in its own names and units (seconds). */
export interface ServiceOverrides {
  /**
   * Time a TCP health check may take, in seconds.
   * @default 1.5
   */
  healthTimeout?: number;
  /**
   * Extra attempts of a failed health check, and retries of a failed call on another pod.
   * @default 2
   */
  retries?: number;
  /**
   * Base of the exponential backoff between health check attempts, in seconds.
   * @default 0.2
   */
  backoffBase?: number;
  /**
   * Find pods by this label selector instead of the Service's EndpointSlices.
   * @default undefined (EndpointSlices; `app=<name>` if you ask for pods)
   */
  labelSelector?: string;
  /**
   * Fallback endpoint host when Kubernetes is unavailable.
   * @default KUBE_FALLBACK_HOST
   */
  fallbackHost?: string;
  /**
   * Fallback endpoint port.
   * @default KUBE_FALLBACK_PORT
   */
  fallbackPort?: number;
}

/** Options of `initResolver()`: the seed's `init_resolver` parameters, camelCased, plus injection. */
export interface InitResolverOptions extends ServiceOverrides {
  /**
   * Discovery is pushed by watches; where watch is forbidden it polls this often, in seconds.
   * @default 8
   */
  cacheTtlSeconds?: number;
  /**
   * Offline mode: no cluster; every service resolves to the fallback, else 127.0.0.1:8000.
   * @default KUBESMART_OFFLINE=1 in `env` (or the older KUBESMART_MOCK=1, or the seed's KUBESMARTSERVICE_MOCK=1)
   */
  offline?: boolean;
  /** @deprecated The seed's name for `offline` (not the `@kubesmart/mock` emulator); goes in 0.3.0. */
  mockMode?: boolean;
  /** @default the kubeconfig context's namespace, else 'default' */
  namespace?: string;
  /** @default loadKubeConfig({ env }) */
  kubeConfig?: KubeConfig;
  /** @default a logger that drops everything */
  logger?: Logger;
  /**
   * Where `KUBESMART_OFFLINE` (and its aliases), `KUBE_FALLBACK_HOST`, `KUBE_FALLBACK_PORT` and
   * the kubeconfig variables are read.
   * @default process.env
   */
  env?: ResolverEnv;
}

/** Offline mode's endpoint when no fallback is configured, as kubeSmartService. */
export const OFFLINE_ENDPOINT: FallbackEndpoint = Object.freeze({ host: '127.0.0.1', port: 8000 });

const TRUTHY = new Set(['1', 'true', 'yes', 'on']);

/**
 * Whether `env` asks for offline mode: `KUBESMART_OFFLINE`, or its older names `KUBESMART_MOCK` and the
 * seed's `KUBESMARTSERVICE_MOCK` (kept as aliases; "mock" now names only the `@kubesmart/mock` emulator).
 */
export function offlineFromEnv(env: ResolverEnv): boolean {
  return [env.KUBESMART_OFFLINE, env.KUBESMART_MOCK, env.KUBESMARTSERVICE_MOCK].some(
    (value) => value !== undefined && TRUTHY.has(value.trim().toLowerCase()),
  );
}

/** The fallback endpoint from options, else `KUBE_FALLBACK_HOST`/`KUBE_FALLBACK_PORT`; undefined if neither. */
export function fallbackFrom(overrides: ServiceOverrides, env: ResolverEnv): FallbackEndpoint | undefined {
  const host = overrides.fallbackHost ?? env.KUBE_FALLBACK_HOST;
  const rawPort = overrides.fallbackPort ?? env.KUBE_FALLBACK_PORT;
  if (host === undefined && rawPort === undefined) return undefined;
  const port = typeof rawPort === 'number' ? rawPort : Number(rawPort);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new InvalidArgumentError(
      `The fallback endpoint needs a host and a port from 1 to 65535; got host ${JSON.stringify(host)} and port ${JSON.stringify(rawPort)}. Set both fallbackHost and fallbackPort (or KUBE_FALLBACK_HOST and KUBE_FALLBACK_PORT).`,
    );
  }
  return { host, port };
}

/** The service options that the seed's overrides stand for. */
export function serviceOptionsFrom(overrides: ServiceOverrides, env: ResolverEnv): SmartServiceOptions {
  const options: SmartServiceOptions = {};
  const health: NonNullable<Exclude<SmartServiceOptions['health'], false>> = {};
  if (overrides.healthTimeout !== undefined) health.timeoutMs = overrides.healthTimeout * 1000;
  if (overrides.retries !== undefined) health.initialRetries = overrides.retries;
  if (overrides.backoffBase !== undefined) health.backoffBaseMs = overrides.backoffBase * 1000;
  if (Object.keys(health).length > 0) options.health = health;
  if (overrides.retries !== undefined) options.retry = { retries: overrides.retries };
  if (overrides.labelSelector !== undefined) {
    options.source = 'pods';
    options.labelSelector = overrides.labelSelector;
  }
  const fallback = fallbackFrom(overrides, env);
  if (fallback) options.fallback = fallback;
  return options;
}

/** @deprecated The old name of {@link offlineFromEnv}. */
export const mockModeFromEnv = offlineFromEnv;
