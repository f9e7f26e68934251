export type { Balancer, BalancerName } from './balancing/balancer.js';
export type { ConsistentHashOptions } from './balancing/consistentHash.js';
export { ConsistentHashBalancer } from './balancing/consistentHash.js';
export type { BalancerOptions } from './balancing/createBalancer.js';
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
export type { ZonePreferenceOptions } from './balancing/zonePreference.js';
export { ZonePreferenceBalancer } from './balancing/zonePreference.js';
export type { KubeClientOptions, KubeClientStats, KubeRequestOptions } from './cluster/kubeClient.js';
export { KubeClient } from './cluster/kubeClient.js';
export type { LoadKubeConfigOptions } from './cluster/loadKubeConfig.js';
export { loadKubeConfig } from './cluster/loadKubeConfig.js';
export type { WatchCacheSettings, WatchCacheStatus } from './cluster/watchCacheOptions.js';
export type { WatchCacheRegistryOptions } from './cluster/watchCacheRegistry.js';
export { WatchCacheRegistry } from './cluster/watchCacheRegistry.js';
export { closeResolver, initResolver } from './compat/initResolver.js';
export type { KubeServiceOptions } from './compat/kubeService.js';
export { kubeService } from './compat/kubeService.js';
export type { InitResolverOptions, ResolverEnv, ServiceOverrides } from './compat/resolverOptions.js';
export type { SeedStatus } from './compat/smartServiceHandle.js';
export { SmartServiceHandle } from './compat/smartServiceHandle.js';
export type { PermissionCheck, PermissionReport } from './discovery/checkPermissions.js';
export type { DiscoverySource, ServiceDiscoveryStatus } from './discovery/serviceDiscoveryOptions.js';
export type { EngineContext } from './engineContext.js';
export type { KubeSmartErrorOptions, UpstreamErrorOptions } from './errors.js';
export {
  CallTimeoutError,
  CircuitOpenError,
  ClosedError,
  ConflictError,
  ErrorCode,
  ForbiddenError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  KubeObjectNotFoundError,
  KubeSmartError,
  KvConflictError,
  KvKeyInvalidError,
  KvValueTooLargeError,
  NoHealthyEndpointsError,
  QueryNotFoundError,
  RetryBudgetExhaustedError,
  ServiceNotFoundError,
  UpstreamError,
} from './errors.js';
export { ActiveHealthChecker } from './health/activeHealthChecker.js';
export type {
  ActiveHealthCheckOptions,
  ActiveHealthEvents,
  HealthCheckStatus,
  HealthEvent,
} from './health/activeHealthCheckOptions.js';
export type { EndpointSetChange, EndpointSetOptions } from './health/endpointSet.js';
export { EndpointSet } from './health/endpointSet.js';
export type {
  CircuitState,
  EndpointSnapshot,
  EndpointStateOptions,
  HealthStatus,
} from './health/endpointState.js';
export { EndpointState } from './health/endpointState.js';
export type {
  EjectionEvent,
  EndpointPool,
  OutlierDetectionOptions,
  OutlierEvents,
  RestoreEvent,
} from './health/outlierDetector.js';
export { OutlierDetector } from './health/outlierDetector.js';
export type { HealthProbe, HttpProbeOptions, ProbeResult, TcpProbeOptions } from './health/probes.js';
export { createHttpProbe, createTcpProbe } from './health/probes.js';
export { createKubeSmart, KubeSmart } from './kubeSmart.js';
export type { KvUpdateResult } from './kv/kvBucket.js';
export { KvBucket } from './kv/kvBucket.js';
export type {
  KvBackend,
  KvBucketOptions,
  KvBucketStatus,
  KvChange,
  KvCodec,
  KvEntry,
  KvGetOptions,
  KvListener,
  KvListOptions,
  KvReadResult,
  KvSchema,
  KvValueOf,
  KvWriteOptions,
} from './kv/kvTypes.js';
export type { ExclusionReason, ExplainedEndpoint, Explanation } from './mesh/explain.js';
export type { SmartFetchInit, SmartResponse } from './mesh/httpFetch.js';
export { isIdempotentMethod } from './mesh/httpFetch.js';
export type {
  ClientSettings,
  KubeSmartOptions,
  KubeSmartStatus,
  WatchSettings,
} from './mesh/kubeSmartOptions.js';
export type { MetricsOptions, PromClientLike, PromRegistryLike } from './mesh/metrics.js';
export type { CallCounts, EndpointStatus, ServiceSource, ServiceStatus } from './mesh/serviceStatus.js';
export { SmartService } from './mesh/smartService.js';
export type {
  BreakerOptions,
  FallbackEndpoint,
  HealthOptions,
  HttpOptions,
  OutlierOptions,
  RetryOptions,
  SmartServiceOptions,
} from './mesh/smartServiceOptions.js';
export { SMART_SERVICE_DEFAULTS } from './mesh/smartServiceOptions.js';
export type { ReadyOptions, SmartCallOptions, SmartServiceEvents } from './mesh/smartServiceTypes.js';
export { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './query/clusterQueries.js';
export { ConfigMap, Secret } from './query/configResources.js';
export type {
  DiagnosisFinding,
  DiagnosisReason,
  EventEvidence,
  Evidence,
  PodDiagnosis,
  StatusEvidence,
} from './query/diagnosis.js';
export { formatDiagnosis } from './query/diagnosis.js';
export type { Duration } from './query/duration.js';
export { KubeEvent } from './query/event.js';
export type { KindName } from './query/kinds.js';
export type { DeleteOptions, WaitCondition, WaitOptions } from './query/kubeResource.js';
export { KubeResource } from './query/kubeResource.js';
export type { LabelMatch } from './query/labelSelector.js';
export { Namespace } from './query/namespace.js';
export { Node } from './query/node.js';
export type { LogsOptions } from './query/pod.js';
export { Pod } from './query/pod.js';
export type { ExecOptions, ExecResult } from './query/podExec.js';
export { PodQuery } from './query/podQuery.js';
export { Query, SYSTEM_NAMESPACES } from './query/query.js';
export { QueryEngine } from './query/queryEngine.js';
export type { QueryEngineOptions, QuerySettings } from './query/queryEngineOptions.js';
export type { ExplainedStep, QueryExplanation } from './query/queryExplanation.js';
export type { KindTypes, WrapOptions } from './query/queryRuntime.js';
export type { QueryRun } from './query/querySpec.js';
export type { Plucked, PluckKey } from './query/resultList.js';
export { ResultList } from './query/resultList.js';
export type { RawEndpoints } from './query/service.js';
export { EndpointSlice, Service } from './query/service.js';
export { EndpointSliceQuery, ServiceQuery } from './query/serviceQueries.js';
export { formatTable } from './query/textTable.js';
export { DeploymentQuery, ReplicaSetQuery } from './query/workloadQueries.js';
export type { ScaleChange } from './query/workloads.js';
export { Deployment, ReplicaSet } from './query/workloads.js';
export type { AttemptTimeoutOptions } from './resilience/attemptTimeout.js';
export { runWithTimeout } from './resilience/attemptTimeout.js';
export { fullJitterBackoff } from './resilience/backoff.js';
export type {
  BreakerEvent,
  CircuitBreakerEvents,
  CircuitBreakerOptions,
} from './resilience/circuitBreaker.js';
export { CircuitBreaker } from './resilience/circuitBreaker.js';
export type { ClassifyOptions, FailureClass } from './resilience/classifyFailure.js';
export { classifyFailure } from './resilience/classifyFailure.js';
export { Failover } from './resilience/failover.js';
export type {
  AttemptFn,
  CallOptions,
  FailoverEvent,
  FailoverEvents,
  FailoverOptions,
  FailoverStatus,
} from './resilience/failoverOptions.js';
export type { RetryBudgetOptions, RetryBudgetStatus } from './resilience/retryBudget.js';
export { RetryBudget } from './resilience/retryBudget.js';
export type {
  BindingHealth,
  BindingOptions,
  ServiceBinding,
  ServiceHealth,
  ServiceMap,
  ServiceSpec,
} from './serviceBindings.js';
export { bindServices } from './serviceBindings.js';
export type { EventMap, Listener } from './typedEmitter.js';
export { TypedEmitter } from './typedEmitter.js';
export type { Clock, Endpoint, EndpointInit, Logger, Random, TimerHandle, TimerOptions } from './types.js';
export { createEndpoint, noopLogger, systemClock } from './types.js';
