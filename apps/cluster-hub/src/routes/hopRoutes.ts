import type { FastifyInstance } from 'fastify';
import type { AgentRouter } from '../agentRouter.js';
import type { HopAuth } from '../hopAuth.js';
import { HubError } from '../hubErrors.js';

export const HOP_PATH = '/internal/v1/hop';

/** What one replica asks the replica holding an agent. */
export interface HopRequest {
  agentId: string;
  op: string;
  params: Record<string, unknown>;
  timeoutMs: number;
  /** `call`: one JSON answer; `stream`: a text stream; `describe`: the agent's view. */
  kind: 'call' | 'stream' | 'describe';
}

/**
 * The holder's side of the hop: a replica asks for an agent this replica holds. Authenticated by the
 * replicas' shared HMAC (no API key: the entry replica checked it); never hops again.
 */
export function hopRoutes(app: FastifyInstance, local: AgentRouter, auth: HopAuth): void {
  app.post(HOP_PATH, { config: { rateLimit: false } }, async (request, reply) => {
    const raw = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {});
    if (!auth.verify(request.headers.authorization, raw)) {
      throw new HubError(401, 'INVALID_HOP', 'This path is for hub replicas only.');
    }
    const hop = JSON.parse(raw) as HopRequest;
    const controller = new AbortController();
    reply.raw.once('close', () => reply.raw.writableFinished || controller.abort());
    if (hop.kind === 'describe') return local.describe(hop.agentId);
    if (hop.kind === 'call') {
      return { result: await local.call(hop.agentId, hop.op, hop.params, hop.timeoutMs, controller.signal) };
    }
    const { body } = await local.stream(hop.agentId, hop.op, hop.params, hop.timeoutMs, controller.signal);
    return reply.header('content-type', 'text/plain; charset=utf-8').send(body);
  });
}
