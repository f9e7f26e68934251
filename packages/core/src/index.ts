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
export type { EndpointSetChange, EndpointSetOptions } from './endpoints/endpointSet.js';
export { EndpointSet } from './endpoints/endpointSet.js';
export type {
  CircuitState,
  EndpointSnapshot,
  EndpointStateOptions,
  HealthStatus,
} from './endpoints/endpointState.js';
export { EndpointState } from './endpoints/endpointState.js';
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
  KvObjectTakenError,
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
export { createKubeSmart, KubeSmart } from './instance/kubeSmart.js';
export type { ClientSettings, KubeSmartOptions, WatchSettings } from './instance/kubeSmartOptions.js';
export type { KubeSmartStatus } from './instance/kubeSmartStatus.js';
export type { MetricsOptions, PromClientLike, PromRegistryLike } from './instance/metrics.js';
export type {
  BindingHealth,
  BindingOptions,
  ServiceBinding,
  ServiceHealth,
  ServiceMap,
  ServiceSpec,
} from './instance/serviceBindings.js';
export { bindServices } from './instance/serviceBindings.js';
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
export { EventQuery, NamespaceQuery, NodeQuery, SecretQuery } from './query/builder/clusterQueries.js';
export { PodQuery } from './query/builder/podQuery.js';
export { Query, SYSTEM_NAMESPACES } from './query/builder/query.js';
export type { ExplainedStep, QueryExplanation } from './query/builder/queryExplanation.js';
export type { QueryRun } from './query/builder/querySpec.js';
export type { Plucked, PluckKey } from './query/builder/resultList.js';
export { ResultList } from './query/builder/resultList.js';
export { EndpointSliceQuery, ServiceQuery } from './query/builder/serviceQueries.js';
export { DeploymentQuery, ReplicaSetQuery } from './query/builder/workloadQueries.js';
export type {
  DiagnosisFinding,
  DiagnosisReason,
  EventEvidence,
  Evidence,
  PodDiagnosis,
  StatusEvidence,
} from './query/diagnosis/diagnosis.js';
export { formatDiagnosis } from './query/diagnosis/diagnosis.js';
export type { Duration } from './query/format/duration.js';
export { formatTable } from './query/format/textTable.js';
export type { KindName, KindTypes } from './query/kinds.js';
export type { LabelMatch } from './query/labelSelector.js';
export { QueryEngine } from './query/queryEngine.js';
export type { QueryEngineOptions, QuerySettings } from './query/queryEngineOptions.js';
export type { WrapOptions } from './query/queryRuntime.js';
export { ConfigMap, Secret } from './query/resources/configResources.js';
export { KubeEvent } from './query/resources/event.js';
export type { DeleteOptions, WaitCondition, WaitOptions } from './query/resources/kubeResource.js';
export { KubeResource } from './query/resources/kubeResource.js';
export { Namespace } from './query/resources/namespace.js';
export { Node } from './query/resources/node.js';
export type { LogsOptions } from './query/resources/pod.js';
export { Pod } from './query/resources/pod.js';
export type { ExecOptions, ExecResult } from './query/resources/podExec.js';
export type { RawEndpoints } from './query/resources/service.js';
export { EndpointSlice, Service } from './query/resources/service.js';
export type { ScaleChange } from './query/resources/workloads.js';
export { Deployment, ReplicaSet } from './query/resources/workloads.js';
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
export type { HedgeOptions } from './resilience/hedging.js';
export { HedgePolicy } from './resilience/hedging.js';
export type { ReachabilityOptions } from './resilience/reachablePicker.js';
export type { RetryBudgetOptions, RetryBudgetStatus } from './resilience/retryBudget.js';
export { RetryBudget } from './resilience/retryBudget.js';
export type { ExclusionReason, ExplainedEndpoint, Explanation } from './service/explain.js';
export type { SmartFetchInit, SmartResponse } from './service/httpFetch.js';
export { isIdempotentMethod } from './service/httpFetch.js';
export type { CallCounts, EndpointStatus, ServiceSource, ServiceStatus } from './service/serviceStatus.js';
export { SmartService } from './service/smartService.js';
export type {
  BreakerOptions,
  FallbackEndpoint,
  HealthOptions,
  HttpOptions,
  OutlierOptions,
  RetryOptions,
  SmartServiceOptions,
} from './service/smartServiceOptions.js';
export { SMART_SERVICE_DEFAULTS } from './service/smartServiceOptions.js';
export type {
  ReadyOptions,
  ReportOptions,
  SmartCallOptions,
  SmartServiceEvents,
} from './service/smartServiceTypes.js';
export type { EventMap, Listener } from './typedEmitter.js';
export { TypedEmitter } from './typedEmitter.js';
export type { Clock, Endpoint, EndpointInit, Logger, Random, TimerHandle, TimerOptions } from './types.js';
export { createEndpoint, noopLogger, systemClock } from './types.js';
