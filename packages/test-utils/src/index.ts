export type { WaitForOptions } from '@kubesmart/wait-for';
export { waitFor } from '@kubesmart/wait-for';
export type { HandleCounts } from './activeHandles.js';
export { countActiveHandles, handleBaseline, handlesAbove } from './activeHandles.js';
export type { AdapterHarness, ContractApp, ContractOptions } from './adapterContract.js';
export { describeAdapterContract } from './adapterContract.js';
export type { BackendFixtureOptions } from './backendFixture.js';
export { backendFixture } from './backendFixture.js';
export type { HttpResult } from './httpGet.js';
export { httpGet } from './httpGet.js';
export type { RunningRedis } from './redisServer.js';
export { startRedis } from './redisServer.js';
export type { ThroughputCase, ThroughputOptions, ThroughputRow, ThroughputTarget } from './throughput.js';
export {
  formatThroughputTable,
  measureThroughput,
  writeThroughputReport,
} from './throughput.js';
export { closedPort, unreachableKubeConfig } from './unreachableCluster.js';
