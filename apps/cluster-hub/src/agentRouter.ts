import type { AgentDirectory, AgentView } from './agentDirectory.js';
import { AgentCallError, type TunnelStream } from './agentSession.js';
import { HubError } from './hubErrors.js';

/** Where an agent is: its cluster, and the replica holding its session. */
export interface AgentLocation {
  clusterId: string;
  replica: string;
}

/** Maps an agent's answer error to the hub's HTTP error. */
export function callError(error: unknown): unknown {
  if (!(error instanceof AgentCallError)) return error;
  switch (error.code) {
    case 'AGENT_TIMEOUT':
      return new HubError(504, 'AGENT_TIMEOUT', error.message);
    case 'AGENT_GONE':
      return new HubError(503, 'AGENT_DISCONNECTED', error.message, { 'Retry-After': '2' });
    case 'CANCELLED':
      return new HubError(499, 'CANCELLED', error.message);
    case 'BAD_PARAMETER':
      return new HubError(400, 'BAD_PARAMETER', error.message);
    case 'NOT_FOUND':
      return new HubError(404, 'NOT_FOUND', error.message);
    case 'FORBIDDEN':
      return new HubError(502, 'AGENT_FORBIDDEN', error.message);
    default:
      return new HubError(502, error.code, error.message);
  }
}

/**
 * Sends requests to agents: to the local session when this replica holds the agent. (With several
 * replicas, {@link ReplicaRouter} extends this with the hop to the holder.)
 */
export class AgentRouter {
  constructor(readonly directory: AgentDirectory) {}

  async locate(agentId: string): Promise<AgentLocation> {
    const session = this.directory.session(agentId);
    return { clusterId: session.clusterId, replica: this.directory.replicaId };
  }

  async call(
    agentId: string,
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const session = this.directory.session(agentId);
    try {
      return await session.call(op, params, timeoutMs, signal);
    } catch (error) {
      throw callError(error);
    }
  }

  async stream(
    agentId: string,
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ result: unknown; body: TunnelStream | NodeJS.ReadableStream }> {
    const session = this.directory.session(agentId);
    try {
      return await session.stream(op, params, timeoutMs, signal);
    } catch (error) {
      throw callError(error);
    }
  }

  async connected(): Promise<AgentView[]> {
    return this.directory.registry.all().map((s) => this.directory.view(s));
  }

  async describe(agentId: string): Promise<AgentView> {
    return this.directory.view(this.directory.session(agentId));
  }
}
