/**
 * `@kubesmart/core`: what an application needs. Create a KubeSmart, ask it for services, KV buckets
 * and queries, read their status and events, catch their errors. The engines' building blocks
 * (balancers, endpoint sets, breakers, probes, the API client, watch caches) are on
 * `@kubesmart/core/building-blocks`; the kubeSmartService-compatible facade is on
 * `@kubesmart/core/compat`.
 */

// Types the options, status snapshots and events above are made of.
export type { Balancer, BalancerName } from './balancing/balancer.js';
export type { BalancerOptions } from './balancing/createBalancer.js';
export type { ZonePreferenceOptions } from './balancing/zonePreference.js';
export type { KubeClientStats } from './cluster/kubeClient.js';
// The instance and its services.
export type { LoadKubeConfigOptions } from './cluster/loadKubeConfig.js';
export { loadKubeConfig } from './cluster/loadKubeConfig.js';
export type { WatchCacheStatus } from './cluster/watchCacheOptions.js';
// Deprecated: names that leave the main entry in 0.3.0 (see deprecatedExports.ts).
export * from './deprecatedExports.js';
export type { PermissionCheck, PermissionReport } from './discovery/checkPermissions.js';
export type { DiscoverySource, ServiceDiscoveryStatus } from './discovery/serviceDiscoveryOptions.js';
export type { CircuitState, EndpointSnapshot, HealthStatus } from './endpoints/endpointState.js';
export type { EngineContext } from './engineContext.js';
// Errors, and how they answer over HTTP.
export type { ErrorBody } from './errorResponse.js';
export { errorBody, errorCodesOf, HTTP_REASONS, HTTP_STATUS_BY_CODE, httpStatusOf } from './errorResponse.js';
export type { KubeSmartErrorOptions, UpstreamErrorOptions } from './errors.js';
export {
  CallTimeoutError,
  CircuitOpenError,
  ClosedError,
  ConflictError,
  ErrorCode,
  ExpiredError,
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
export type { ActiveHealthCheckOptions, HealthEvent } from './health/activeHealthCheckOptions.js';
export type { EjectionEvent, OutlierDetectionOptions, RestoreEvent } from './health/outlierDetector.js';
export { createKubeSmart, KubeSmart } from './instance/kubeSmart.js';
export type { ClientSettings, KubeSmartOptions, WatchSettings } from './instance/kubeSmartOptions.js';
export type { KubeSmartStatus } from './instance/kubeSmartStatus.js';
export type { MetricsOptions, PromClientLike, PromRegistryLike } from './instance/metrics.js';
export type {
  BindingContext,
  BindingHealth,
  BindingOptions,
  HealthResponse,
  ServiceBinding,
  ServiceHealth,
  ServiceMap,
  ServiceSpec,
} from './instance/serviceBindings.js';
export { bindServices } from './instance/serviceBindings.js';
// The KV engine.
export type { KvUpdateResult } from './kv/kvBucket.js';
export { KvBucket } from './kv/kvBucket.js';
export type {
  KvBackend,
  KvBucketOptions,
  KvBucketStatus,
  KvCacheScope,
  KvChange,
  KvCodec,
  KvEntry,
  KvFreshness,
  KvGetOptions,
  KvListener,
  KvListOptions,
  KvReadResult,
  KvSchema,
  KvValueOf,
  KvWriteOptions,
} from './kv/kvTypes.js';
// The query engine, its queries and the wrappers they return.
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
export type { Duration } from './query/format/duration.js';
export type { KindName, KindTypes } from './query/kinds.js';
export type { LabelMatch } from './query/labelSelector.js';
export { QueryEngine } from './query/queryEngine.js';
export type { QueryEngineOptions, QuerySettings } from './query/queryEngineOptions.js';
export type { WrapOptions } from './query/queryRuntime.js';
export { KubeConfigMap, KubeSecret } from './query/resources/configResources.js';
export { KubeEvent } from './query/resources/event.js';
export type { DeleteOptions, WaitCondition, WaitOptions } from './query/resources/kubeResource.js';
export { KubeResource } from './query/resources/kubeResource.js';
export { KubeNamespace } from './query/resources/namespace.js';
export { KubeNode } from './query/resources/node.js';
export type { LogsOptions, StreamLogsOptions } from './query/resources/pod.js';
export { KubePod } from './query/resources/pod.js';
export type { ExecOptions, ExecResult } from './query/resources/podExec.js';
export type { RawEndpoints } from './query/resources/service.js';
export { KubeEndpointSlice, KubeService } from './query/resources/service.js';
export type { ScaleChange } from './query/resources/workloads.js';
export { KubeDeployment, KubeReplicaSet } from './query/resources/workloads.js';
export type { BreakerEvent, CircuitBreakerOptions } from './resilience/circuitBreaker.js';
export type { FailoverEvent } from './resilience/failoverOptions.js';
export type { HedgeOptions } from './resilience/hedging.js';
export type { ReachabilityOptions } from './resilience/reachablePicker.js';
export type { RetryBudgetOptions, RetryBudgetStatus } from './resilience/retryBudget.js';
export { RETRY_DEFAULTS, type RetryPolicyOptions } from './resilience/retryPolicy.js';
export type { ExclusionReason, ExplainedEndpoint, Explanation } from './service/explain.js';
export type { SmartFetchInit, SmartResponse } from './service/httpFetch.js';
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
export type { Clock, Endpoint, Logger, Random, TimerHandle, TimerOptions } from './types.js';
