import { AGENT_CONNECT_PATH, PROTOCOL_VERSION } from '@kubesmart/agent/protocol';
import WebSocket from 'ws';

export interface RawAgent {
  ws: WebSocket;
  /** Frames received from the hub, parsed. */
  frames: Record<string, unknown>[];
  closed: Promise<{ code: number; reason: string }>;
  /** Answers pings with pongs while true. */
  answerPings: boolean;
}

/**
 * A hand-driven agent on a real WebSocket: says hello (or what `hello` gives), answers pings while
 * `answerPings` is set, and records every frame, so tests can freeze it or make it misbehave.
 */
export async function rawAgent(
  hubUrl: string,
  credential: string,
  hello: Record<string, unknown> | string | null,
): Promise<RawAgent> {
  const ws = new WebSocket(`${hubUrl.replace(/^http/, 'ws')}${AGENT_CONNECT_PATH}`, {
    headers: { authorization: `Bearer ${credential}` },
  });
  const agent: RawAgent = {
    ws,
    frames: [],
    answerPings: true,
    closed: new Promise((resolve) =>
      ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    ),
  };
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as Record<string, unknown>;
    agent.frames.push(frame);
    if (frame.type === 'ping' && agent.answerPings)
      ws.send(JSON.stringify({ type: 'pong', nonce: frame.nonce }));
  });
  ws.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    ws.once('error', reject);
  });
  if (hello !== null) ws.send(typeof hello === 'string' ? hello : JSON.stringify(hello));
  return agent;
}

export const helloFor = (agentId: string, clusterId: string): Record<string, unknown> => ({
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  agentId,
  clusterId,
  agentVersion: 'raw-0',
  operations: ['namespaces'],
});
