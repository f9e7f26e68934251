export type { AuthOptions, PolicyRule, UserInfo, UserSpec } from './api/auth.js';
export { AccessControl, ADMIN_RULES } from './api/auth.js';
export type { ServerVersion } from './api/discovery.js';
export type { ListOptions } from './api/resourceApi.js';
export type { MockCluster, MockClusterOptions, ResourceName } from './cluster.js';
export { createMockCluster } from './cluster.js';
export type { ClusterChoice, ClusterFromEnvOptions } from './clusterFromEnv.js';
export { clusterConfigured, clusterFromEnvOrEmulator } from './clusterFromEnv.js';
export type { ErrorFaultOptions, FaultHandle, FaultMatch } from './faults/faults.js';
export { FaultInjector } from './faults/faults.js';
export { KubeApiError } from './kubeApiError.js';
export type { KubeconfigParams } from './kubeconfig.js';
export { kubeConfigFrom, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
export type { ExecContext, ExecHandler, ExecResult } from './pods/execHandlers.js';
export { defaultExecHandler } from './pods/execHandlers.js';
export type {
  AppendLogOptions,
  ContainerStateName,
  ContainerStateOptions,
  FakePodStatus,
  LogsOptions,
  PodAddress,
  PodBehaviour,
  PodContext,
  PodFleetOptions,
  PodHandler,
  PodHandlerRegistration,
  PodHttpHandler,
  PodOptions,
  PodTcpHandler,
} from './pods/podFleet.js';
export { PodFleet, PodNotFoundError } from './pods/podFleet.js';
export type { WaitForPodsOptions } from './pods/waitForPods.js';
export { waitForPods } from './pods/waitForPods.js';
export { repeatableRandom, seededRandom } from './repeatableRandom.js';
export { sampleBackend } from './sampleBackend.js';
export type { StoreEvent, StoreListener } from './store/objectStore.js';
export { ObjectStore } from './store/objectStore.js';
export type { ResourceType } from './store/resources.js';
export { resourceByPath } from './store/resources.js';
export type {
  KubeObject,
  KubeStatus,
  Logger,
  ObjectMeta,
  OwnerReference,
  StatusReason,
  WatchEvent,
  WatchEventType,
} from './types.js';
