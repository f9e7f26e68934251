import type { RetryBudgetOptions, RetryPolicyOptions } from '@kubesmart/core';

/** The gateway's configuration after validation: what `loadGatewayConfig` returns. */

export type BalancerKind = 'round-robin' | 'random' | 'least-request' | 'peak-ewma' | 'consistent-hash';

export const BALANCER_KINDS: readonly BalancerKind[] = Object.freeze([
  'round-robin',
  'random',
  'least-request',
  'peak-ewma',
  'consistent-hash',
]);

/** Where a `consistent-hash` route reads its key: a header, a query parameter, or a path segment. */
export type HashOn =
  | { readonly from: 'header'; readonly name: string }
  | { readonly from: 'query'; readonly name: string }
  | { readonly from: 'path'; readonly segment: number };

export interface HealthCheckConfig {
  /** HTTP path probed on every endpoint. */
  readonly path: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
}

/**
 * A route's retries: core's `retry` options, every field set (`RETRY_DEFAULTS` where the file says
 * nothing). `budget` is `false` for none, or the retry budget's options over core's defaults.
 */
export type RetryConfig = Readonly<Required<RetryPolicyOptions>> & {
  readonly budget: false | Readonly<Omit<RetryBudgetOptions, 'clock'>>;
};

export interface CircuitBreakerConfig {
  /** Consecutive failures of an endpoint that open its circuit. */
  readonly failureThreshold: number;
  /** How long a circuit stays open before half-open trial requests. */
  readonly openMs: number;
  readonly halfOpenRequests: number;
}

export interface OutlierDetectionConfig {
  readonly consecutiveFailures: number;
  readonly baseEjectionMs: number;
  readonly maxEjectionPercent: number;
}

/** One route: a path prefix served by one Kubernetes Service. */
export interface RouteConfig {
  /** Key under `services:`, used in URLs (`/mesh/reset/<name>`) and status. */
  readonly name: string;
  /** The Kubernetes Service. */
  readonly service: string;
  readonly namespace: string;
  /** Path prefix, `/catalog`: matches `/catalog` and `/catalog/...`. */
  readonly path: string;
  /** Service port by name or number; undefined for the Service's first port. */
  readonly port: string | number | undefined;
  /** Remove the prefix before forwarding (`/catalog/products` -> `/products`). */
  readonly stripPrefix: boolean;
  readonly balancer: BalancerKind;
  readonly hashOn: HashOn | undefined;
  readonly healthCheck: HealthCheckConfig | false;
  readonly retry: RetryConfig;
  readonly circuitBreaker: CircuitBreakerConfig | false;
  readonly outlierDetection: OutlierDetectionConfig | false;
}

export interface GatewayConfig {
  readonly host: string;
  readonly port: number;
  /** Namespace of services that name none. */
  readonly namespace: string;
  /** Largest request body forwarded. */
  readonly bodyLimitBytes: number;
  /** In the order of the file; the most specific prefix wins (`/catalog/admin` over `/catalog`). */
  readonly routes: readonly RouteConfig[];
  /** Deprecated keys the file used, each with what to write instead (also logged when loaded). */
  readonly warnings: readonly string[];
}

/** Paths the gateway serves itself; routes may not claim them. */
export const RESERVED_PATHS: readonly string[] = Object.freeze([
  '/mesh',
  '/discovery',
  '/services',
  '/health-check',
  '/healthz',
]);
