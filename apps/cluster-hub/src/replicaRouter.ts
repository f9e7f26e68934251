import { Readable } from 'node:stream';
import type { AgentDirectory, AgentView } from './agentDirectory.js';
import type { AgentLeases, RemoteAgent } from './agentLeases.js';
import { type AgentLocation, AgentRouter } from './agentRouter.js';
import type { TunnelStream } from './agentSession.js';
import type { HopAuth } from './hopAuth.js';
import { HubError, type HubErrorBody } from './hubErrors.js';
import { HOP_PATH, type HopRequest } from './routes/hopRoutes.js';

/**
 * The router of a hub with several replicas: an agent held here is asked directly; an agent another
 * replica holds (a fresh Lease) is asked through that replica (the hop), which answers from its
 * session. Errors of the holder come back as they are.
 */
export class ReplicaRouter extends AgentRouter {
  constructor(
    directory: AgentDirectory,
    readonly leases: AgentLeases,
    readonly hopAuth: HopAuth,
  ) {
    super(directory);
  }

  override async locate(agentId: string): Promise<AgentLocation> {
    const local = this.directory.registry.get(agentId);
    if (local) return { clusterId: local.clusterId, replica: this.directory.replicaId };
    const remote = this.leases.remote(agentId);
    if (remote) return { clusterId: remote.clusterId, replica: remote.replica };
    throw this.directory.absent(agentId);
  }

  override async call(
    agentId: string,
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const remote = this.#remote(agentId);
    if (!remote) return super.call(agentId, op, params, timeoutMs, signal);
    const response = await this.#hop(remote, { agentId, op, params, timeoutMs, kind: 'call' }, signal);
    return ((await response.json()) as { result: unknown }).result;
  }

  override async stream(
    agentId: string,
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ result: unknown; body: TunnelStream | NodeJS.ReadableStream }> {
    const remote = this.#remote(agentId);
    if (!remote) return super.stream(agentId, op, params, timeoutMs, signal);
    const response = await this.#hop(remote, { agentId, op, params, timeoutMs, kind: 'stream' }, signal);
    const body = Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
    return { result: undefined, body };
  }

  override async connected(): Promise<AgentView[]> {
    const local = await super.connected();
    const seen = new Set(local.map((a) => a.agent_id));
    const remote = this.leases
      .remotes()
      .filter((r) => !seen.has(r.agentId))
      .map((r) => ({
        agent_id: r.agentId,
        cluster_id: r.clusterId,
        version: r.version,
        connected: true,
        connected_since: r.connectedSince,
        last_heartbeat: r.renewedAt,
        in_flight_requests: 0,
        operations: [],
        replica: r.replica,
      }));
    return [...local, ...remote];
  }

  override async describe(agentId: string): Promise<AgentView> {
    const remote = this.#remote(agentId);
    if (!remote) return super.describe(agentId);
    const response = await this.#hop(remote, {
      agentId,
      op: 'describe',
      params: {},
      timeoutMs: 10_000,
      kind: 'describe',
    });
    return (await response.json()) as AgentView;
  }

  #remote(agentId: string): RemoteAgent | undefined {
    if (this.directory.registry.get(agentId)) return undefined;
    const remote = this.leases.remote(agentId);
    if (!remote) throw this.directory.absent(agentId);
    return remote;
  }

  async #hop(remote: RemoteAgent, hop: HopRequest, signal?: AbortSignal): Promise<Response> {
    const body = JSON.stringify(hop);
    let response: Response;
    try {
      response = await fetch(`${remote.url}${HOP_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8', authorization: this.hopAuth.sign(body) },
        body,
        signal: AbortSignal.any([AbortSignal.timeout(hop.timeoutMs + 5000), ...(signal ? [signal] : [])]),
      });
    } catch (error) {
      throw new HubError(
        503,
        'REPLICA_UNREACHABLE',
        `Agent "${hop.agentId}" is held by hub replica "${remote.replica}", which cannot be reached (${(error as Error).message}); it will reconnect to another replica, retry shortly.`,
        { 'Retry-After': '2' },
      );
    }
    if (response.ok) return response;
    const text = await response.text();
    let error: Partial<HubErrorBody> = {};
    try {
      error = JSON.parse(text) as HubErrorBody;
    } catch {}
    const headers: Record<string, string> = {};
    const retryAfter = response.headers.get('retry-after');
    if (retryAfter) headers['Retry-After'] = retryAfter;
    throw new HubError(
      response.status,
      error.code ?? 'HOP_FAILED',
      error.message ?? `replica "${remote.replica}" answered ${response.status}`,
      headers,
      error.parameter,
    );
  }
}
