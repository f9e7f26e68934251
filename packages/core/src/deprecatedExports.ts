/**
 * Names the main entry of `@kubesmart/core` carried in 0.1 that now live elsewhere. They stay here,
 * deprecated, for one minor version and leave the main entry in 0.3.0: import building blocks from
 * `@kubesmart/core/building-blocks`, the kubeSmartService-compatible facade from
 * `@kubesmart/core/compat`, and the query wrappers by their `Kube` names.
 */

export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ConsistentHashOptions,
} from './balancing/consistentHash.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ConsistentHashBalancer,
} from './balancing/consistentHash.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  createBalancer,
} from './balancing/createBalancer.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  CandidateSource,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointPicker,
} from './balancing/endpointPicker.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  createPicker,
} from './balancing/endpointPicker.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  LeastRequestOptions,
} from './balancing/leastRequest.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  LeastRequestBalancer,
} from './balancing/leastRequest.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  PeakEwmaOptions,
} from './balancing/peakEwma.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  PeakEwmaBalancer,
} from './balancing/peakEwma.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  RandomOptions,
} from './balancing/randomBalancer.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  RandomBalancer,
} from './balancing/randomBalancer.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  RoundRobinOptions,
} from './balancing/roundRobin.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  RoundRobinBalancer,
} from './balancing/roundRobin.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ZonePreferenceBalancer,
} from './balancing/zonePreference.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  systemClock,
} from './clock.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  fullJitterBackoff,
} from './cluster/backoff.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  KubeClientOptions,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  KubeRequestOptions,
} from './cluster/kubeClient.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  KubeClient,
} from './cluster/kubeClient.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  WatchCacheSettings,
} from './cluster/watchCacheOptions.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  WatchCacheRegistryOptions,
} from './cluster/watchCacheRegistry.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  WatchCacheRegistry,
} from './cluster/watchCacheRegistry.js';
export {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  closeResolver,
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  initResolver,
} from './compat/initResolver.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  KubeServiceOptions,
} from './compat/kubeService.js';
export {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  kubeService,
} from './compat/kubeService.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  InitResolverOptions,
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  ResolverEnv,
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  ServiceOverrides,
} from './compat/resolverOptions.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  SeedStatus,
} from './compat/smartServiceHandle.js';
export {
  /** @deprecated Import it from `@kubesmart/core/compat`; the main entry drops it in 0.3.0. */
  SmartServiceHandle,
} from './compat/smartServiceHandle.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  createEndpoint,
} from './createEndpoint.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointSetChange,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointSetOptions,
} from './endpoints/endpointSet.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointSet,
} from './endpoints/endpointSet.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointStateOptions,
} from './endpoints/endpointState.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointState,
} from './endpoints/endpointState.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ActiveHealthChecker,
} from './health/activeHealthChecker.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ActiveHealthEvents,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  HealthCheckStatus,
} from './health/activeHealthCheckOptions.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointPool,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  OutlierEvents,
} from './health/outlierDetector.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  OutlierDetector,
} from './health/outlierDetector.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  HealthProbe,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  HttpProbeOptions,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ProbeResult,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  TcpProbeOptions,
} from './health/probes.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  createHttpProbe,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  createTcpProbe,
} from './health/probes.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  noopLogger,
} from './logger.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  formatDiagnosis,
} from './query/diagnosis/diagnosis.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  formatTable,
} from './query/format/textTable.js';
export {
  /** @deprecated Renamed `KubeConfigMap` (one prefix for every query wrapper); `ConfigMap` goes in 0.3.0. */
  KubeConfigMap as ConfigMap,
  /** @deprecated Renamed `KubeSecret` (one prefix for every query wrapper); `Secret` goes in 0.3.0. */
  KubeSecret as Secret,
} from './query/resources/configResources.js';
export {
  /** @deprecated Renamed `KubeNamespace` (one prefix for every query wrapper); `Namespace` goes in 0.3.0. */
  KubeNamespace as Namespace,
} from './query/resources/namespace.js';
export {
  /** @deprecated Renamed `KubeNode` (one prefix for every query wrapper); `Node` goes in 0.3.0. */
  KubeNode as Node,
} from './query/resources/node.js';
export {
  /** @deprecated Renamed `KubePod` (one prefix for every query wrapper); `Pod` goes in 0.3.0. */
  KubePod as Pod,
} from './query/resources/pod.js';
export {
  /** @deprecated Renamed `KubeEndpointSlice` (one prefix for every query wrapper); `EndpointSlice` goes in 0.3.0. */
  KubeEndpointSlice as EndpointSlice,
  /** @deprecated Renamed `KubeService` (one prefix for every query wrapper); `Service` goes in 0.3.0. */
  KubeService as Service,
} from './query/resources/service.js';
export {
  /** @deprecated Renamed `KubeDeployment` (one prefix for every query wrapper); `Deployment` goes in 0.3.0. */
  KubeDeployment as Deployment,
  /** @deprecated Renamed `KubeReplicaSet` (one prefix for every query wrapper); `ReplicaSet` goes in 0.3.0. */
  KubeReplicaSet as ReplicaSet,
} from './query/resources/workloads.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  AttemptTimeoutOptions,
} from './resilience/attemptTimeout.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  runWithTimeout,
} from './resilience/attemptTimeout.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  CircuitBreakerEvents,
} from './resilience/circuitBreaker.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  CircuitBreaker,
} from './resilience/circuitBreaker.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  ClassifyOptions,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  FailureClass,
} from './resilience/classifyFailure.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  classifyFailure,
} from './resilience/classifyFailure.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  Failover,
} from './resilience/failover.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  AttemptFn,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  CallOptions,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  FailoverEvents,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  FailoverOptions,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  FailoverStatus,
} from './resilience/failoverOptions.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  RetryBudget,
} from './resilience/retryBudget.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  isIdempotentMethod,
} from './service/httpFetch.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EventMap,
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  Listener,
} from './typedEmitter.js';
export {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  TypedEmitter,
} from './typedEmitter.js';
export type {
  /** @deprecated Import it from `@kubesmart/core/building-blocks`; the main entry drops it in 0.3.0. */
  EndpointInit,
} from './types.js';
