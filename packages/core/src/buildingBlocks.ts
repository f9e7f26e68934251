/**
 * `@kubesmart/core/building-blocks`: the parts the engines are built from, for code that composes its
 * own: balancers and the endpoint picker, the endpoint state every engine reads, health checks and
 * outlier detection, breakers, retry budgets and failover, the Kubernetes API client and the shared
 * watch caches, and the small helpers (clock, logger, typed emitter, text table) they share.
 */

export type { ConsistentHashOptions } from './balancing/consistentHash.js';
export { ConsistentHashBalancer } from './balancing/consistentHash.js';
export { createBalancer } from './balancing/createBalancer.js';
export type { CandidateSource, EndpointPicker } from './balancing/endpointPicker.js';
export { createPicker } from './balancing/endpointPicker.js';
export type { LeastRequestOptions } from './balancing/leastRequest.js';
export { LeastRequestBalancer } from './balancing/leastRequest.js';
export type { PeakEwmaOptions } from './balancing/peakEwma.js';
export { PeakEwmaBalancer } from './balancing/peakEwma.js';
export type { RandomOptions } from './balancing/randomBalancer.js';
export { RandomBalancer } from './balancing/randomBalancer.js';
export type { RoundRobinOptions } from './balancing/roundRobin.js';
export { RoundRobinBalancer } from './balancing/roundRobin.js';
export { ZonePreferenceBalancer } from './balancing/zonePreference.js';
export { systemClock } from './clock.js';
export { exponentialDelay, fullJitterBackoff } from './cluster/backoff.js';
export type { KubeClientOptions, KubeRequestOptions } from './cluster/kubeClient.js';
export { KubeClient } from './cluster/kubeClient.js';
export { sleep } from './cluster/sleep.js';
export type { WatchCacheSettings } from './cluster/watchCacheOptions.js';
export type { WatchCacheRegistryOptions } from './cluster/watchCacheRegistry.js';
export { WatchCacheRegistry } from './cluster/watchCacheRegistry.js';
export { createEndpoint } from './createEndpoint.js';
export type { EndpointSetChange, EndpointSetOptions } from './endpoints/endpointSet.js';
export { EndpointSet } from './endpoints/endpointSet.js';
export type { EndpointStateOptions } from './endpoints/endpointState.js';
export { EndpointState } from './endpoints/endpointState.js';
export { ActiveHealthChecker } from './health/activeHealthChecker.js';
export type { ActiveHealthEvents, HealthCheckStatus } from './health/activeHealthCheckOptions.js';
export type { EndpointPool, OutlierEvents } from './health/outlierDetector.js';
export { OutlierDetector } from './health/outlierDetector.js';
export type { HealthProbe, HttpProbeOptions, ProbeResult, TcpProbeOptions } from './health/probes.js';
export { createHttpProbe, createTcpProbe } from './health/probes.js';
export { optionsKey } from './instance/optionsKey.js';
export { noopLogger } from './logger.js';
export { formatDiagnosis } from './query/diagnosis/diagnosis.js';
export { formatTable } from './query/format/textTable.js';
export type { AttemptTimeoutOptions } from './resilience/attemptTimeout.js';
export { runWithTimeout } from './resilience/attemptTimeout.js';
export type { CircuitBreakerEvents } from './resilience/circuitBreaker.js';
export { CircuitBreaker } from './resilience/circuitBreaker.js';
export type { ClassifyOptions, FailureClass } from './resilience/classifyFailure.js';
export { classifyFailure } from './resilience/classifyFailure.js';
export { Failover } from './resilience/failover.js';
export type {
  AttemptFn,
  CallOptions,
  FailoverEvents,
  FailoverOptions,
  FailoverStatus,
} from './resilience/failoverOptions.js';
export { HedgePolicy } from './resilience/hedging.js';
export { RetryBudget } from './resilience/retryBudget.js';
export { isIdempotentMethod } from './service/httpFetch.js';
export type { EventMap, Listener } from './typedEmitter.js';
export { TypedEmitter } from './typedEmitter.js';
export type { EndpointInit } from './types.js';
