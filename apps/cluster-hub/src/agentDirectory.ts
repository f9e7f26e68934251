import type { KeyStore } from '@kubesmart/access';
import type { AgentRegistry } from './agentRegistry.js';
import type { AgentSession } from './agentSession.js';
import { HubError } from './hubErrors.js';

/** What the hub knows of one agent, for `GET /agents/:id`. */
export interface AgentView {
  agent_id: string;
  cluster_id: string;
  version: string;
  connected: boolean;
  connected_since: string;
  last_heartbeat: string;
  in_flight_requests: number;
  operations: readonly string[];
  replica: string;
}

/**
 * Finds agents: registered (a credential names them) or not, connected to this replica or not. The
 * errors say which case it is and what to do.
 */
export class AgentDirectory {
  constructor(
    readonly registry: AgentRegistry,
    readonly credentials: KeyStore,
    readonly replicaId: string,
  ) {}

  /** The local session of `agentId`, or the right error: 404 unknown, 503 not connected. */
  session(agentId: string): AgentSession {
    const session = this.registry.get(agentId);
    if (session) return session;
    throw this.absent(agentId);
  }

  absent(agentId: string): HubError {
    const registered = this.credentials.infos().some((k) => k.name === agentId && !k.revokedAt);
    if (!registered) {
      return new HubError(
        404,
        'AGENT_UNKNOWN',
        `No agent "${agentId}" is registered; register it with "kubesmart hub agents register ${agentId} --cluster <id>" and deploy it.`,
      );
    }
    return new HubError(
      503,
      'AGENT_NOT_CONNECTED',
      `Agent "${agentId}" is registered but not connected; check its pod (kubectl logs deploy/kubesmart-agent) and retry.`,
      { 'Retry-After': '5' },
    );
  }

  view(session: AgentSession): AgentView {
    return {
      agent_id: session.agentId,
      cluster_id: session.clusterId,
      version: session.hello.agentVersion,
      connected: !session.closed,
      connected_since: session.connectedAt.toISOString(),
      last_heartbeat: session.lastHeartbeat.toISOString(),
      in_flight_requests: session.inFlight,
      operations: session.hello.operations,
      replica: this.replicaId,
    };
  }
}
