import { refusedScope } from '@kubesmart/access';
import {
  isValidId,
  type NamespacesResult,
  type OperationName,
  ParameterError,
  STREAMING_OPERATIONS,
  validateParams,
} from '@kubesmart/agent/protocol';
import type { Logger } from '@kubesmart/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AgentDirectory } from '../agentDirectory.js';
import type { AgentRouter } from '../agentRouter.js';
import { requireScope } from '../apiAuth.js';
import { HubError } from '../hubErrors.js';

export const API_PREFIX = '/api/v3.0/cluster';
export const HUB_VERSION = '1.0.0';

export interface ClusterRouteDeps {
  directory: AgentDirectory;
  router: AgentRouter;
  timeoutMs: number;
  logger: Logger;
}

interface Target {
  agentId: string;
  clusterId: string;
  /** cluster_id as the caller sent it (the seed echoes it, a number when it is one). */
  echoedClusterId: string | number;
  params: Record<string, unknown>;
}

const now = (): string => new Date().toISOString();

function bad(parameter: string, message: string): HubError {
  return new HubError(400, 'BAD_PARAMETER', message, {}, parameter);
}

/** Checks the query, the key's scopes and where the agent is; throws the hub's errors. */
async function target(request: FastifyRequest, op: OperationName, deps: ClusterRouteDeps): Promise<Target> {
  const query = { ...(request.query as Record<string, unknown>) };
  const { agent_id: agentId, cluster_id: clusterId, ...rest } = query;
  if (agentId === undefined || agentId === '') {
    throw bad(
      'agent_id',
      'agent_id is required: the id of the agent to ask (see GET /api/v3.0/cluster/agents/connected).',
    );
  }
  if (!isValidId(agentId))
    throw bad(
      'agent_id',
      `agent_id=${JSON.stringify(agentId)} is not an agent id (lowercase, 1-63 characters).`,
    );
  if (clusterId !== undefined && (typeof clusterId !== 'string' || !isValidId(clusterId))) {
    throw bad(
      'cluster_id',
      `cluster_id=${JSON.stringify(clusterId)} is not a cluster id (lowercase, 1-63 characters).`,
    );
  }
  let params: Record<string, unknown>;
  try {
    params = validateParams(op, rest) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ParameterError) throw bad(error.parameter, error.message);
    throw error;
  }
  requireScope(request, { agent: agentId, operation: op, cluster: clusterId }, deps.logger);
  const located = await deps.router.locate(agentId);
  if (clusterId !== undefined && clusterId !== located.clusterId) {
    throw new HubError(
      404,
      'AGENT_NOT_IN_CLUSTER',
      `Agent "${agentId}" serves cluster "${located.clusterId}", not "${clusterId}"; drop cluster_id or fix it.`,
    );
  }
  requireScope(request, { agent: agentId, operation: op, cluster: located.clusterId }, deps.logger);
  const echoed =
    clusterId === undefined ? located.clusterId : /^\d+$/.test(clusterId) ? Number(clusterId) : clusterId;
  return { agentId, clusterId: located.clusterId, echoedClusterId: echoed, params };
}

/** The seed's endpoints, field for field, and the agent's other operations under the same prefix. */
export function clusterRoutes(app: FastifyInstance, deps: ClusterRouteDeps): void {
  const api = { api: true } as const;
  /** Aborted when the client goes away before its answer is written. */
  const signalOf = (reply: FastifyReply): AbortSignal => {
    const controller = new AbortController();
    reply.raw.once('close', () => reply.raw.writableFinished || controller.abort());
    return controller.signal;
  };

  app.get(`${API_PREFIX}/health`, { config: api }, async () => ({
    status: 'healthy',
    service: 'cluster_service',
    timestamp: now(),
    version: HUB_VERSION,
  }));

  app.get(`${API_PREFIX}/agents/connected`, { config: api }, async (request) => {
    const key = request.principal!;
    const visible = (await deps.router.connected()).filter(
      (a) => refusedScope(key.scopes, { agent: a.agent_id, cluster: a.cluster_id }) === undefined,
    );
    return {
      success: true,
      connected_agents: visible.map((a) => a.agent_id),
      total_count: visible.length,
      timestamp: now(),
    };
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/agents/:id`, { config: api }, async (request) => {
    const agentId = request.params.id;
    if (!isValidId(agentId))
      throw bad('id', `${JSON.stringify(agentId)} is not an agent id (lowercase, 1-63 characters).`);
    requireScope(request, { agent: agentId }, deps.logger);
    const agent = await deps.router.describe(agentId);
    requireScope(request, { agent: agentId, cluster: agent.cluster_id }, deps.logger);
    return { success: true, agent, timestamp: now() };
  });

  app.get(`${API_PREFIX}/namespaces`, { config: api }, async (request, reply) => {
    const t = await target(request, 'namespaces', deps);
    const result = (await deps.router.call(
      t.agentId,
      'namespaces',
      t.params,
      deps.timeoutMs,
      signalOf(reply),
    )) as NamespacesResult;
    return {
      success: true,
      agent_id: t.agentId,
      cluster_id: t.echoedClusterId,
      namespaces: result.namespaces,
      total_count: result.namespaces.length,
      message: 'Successfully retrieved namespaces from cluster',
      timestamp: now(),
    };
  });

  for (const op of ['pods', 'services', 'events'] as const) {
    app.get(`${API_PREFIX}/${op}`, { config: api }, async (request, reply) => {
      const t = await target(request, op, deps);
      const result = (await deps.router.call(
        t.agentId,
        op,
        t.params,
        deps.timeoutMs,
        signalOf(reply),
      )) as Record<string, unknown[]>;
      const items = result[op] ?? [];
      return {
        success: true,
        agent_id: t.agentId,
        cluster_id: t.echoedClusterId,
        [op]: items,
        total_count: items.length,
        message: `Successfully retrieved ${op} from cluster`,
        timestamp: now(),
      };
    });
  }

  app.get(`${API_PREFIX}/logs`, { config: api }, async (request, reply) => {
    const t = await target(request, 'logs', deps);
    if (!STREAMING_OPERATIONS.has('logs')) throw new Error('logs must stream');
    const { body } = await deps.router.stream(t.agentId, 'logs', t.params, deps.timeoutMs, signalOf(reply));
    body.on('error', (error) => request.log.warn({ err: error, agent: t.agentId }, 'log stream ended early'));
    return reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('x-agent-id', t.agentId)
      .header('x-cluster-id', t.clusterId)
      .send(body);
  });
}
