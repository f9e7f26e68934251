export type { AgentEvents, AgentOptions, AgentStatus } from './agent.js';
export { AGENT_VERSION, Agent } from './agent.js';
export { ClusterOperations, OperationError } from './clusterOperations.js';
