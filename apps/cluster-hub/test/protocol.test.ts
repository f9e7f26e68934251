import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  apiKey,
  get,
  type RunningAgent,
  type RunningHub,
  startAgent,
  startAgentCluster,
  startHub,
  until,
} from './hubHarness.js';
import { helloFor, rawAgent } from './rawAgent.js';

let hubCluster: MockCluster;
let west: MockCluster;
let hub: RunningHub;
let good: RunningAgent;
let key: string;
let base: string;

const connected = async (): Promise<string[]> =>
  (await get(`${base}/agents/connected`, key)).json<{ connected_agents: string[] }>().connected_agents;

beforeAll(async () => {
  hubCluster = await createMockCluster();
  west = await startAgentCluster('west');
  hub = await startHub(hubCluster, {
    RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
    HEARTBEAT_INTERVAL: '0.5',
    WEBSOCKET_TIMEOUT: '2',
    MAX_FRAME_BYTES: '65536',
  });
  good = await startAgent(hub.hub, hub.url, west, 'agent-west', 'west');
  key = await apiKey(hub.hub);
  base = `${hub.url}/api/v3.0/cluster`;
});

afterAll(async () => {
  await good?.close();
  await hub?.close();
  await west?.close();
  await hubCluster?.close();
});

async function credential(agentId: string, clusterId: string): Promise<string> {
  return (await hub.hub.credentials.create({ name: agentId, labels: { cluster: clusterId } })).key;
}

describe('agent sessions', () => {
  it('a frozen agent (no pongs) is gone from /agents/connected within the heartbeat window', async () => {
    const frozen = await rawAgent(hub.url, await credential('frozen', 'west'), helloFor('frozen', 'west'));
    await until(async () => (await connected()).includes('frozen'), 'the raw agent to connect');
    frozen.answerPings = false;
    await until(
      async () => !(await connected()).includes('frozen'),
      'the frozen agent to be dropped',
      15_000,
    );
    expect((await frozen.closed).code).toBe(1006);
    expect(await connected()).toContain('agent-west');
  });

  it('an agent that does not answer in time gets 504, and the request is cancelled on the agent', async () => {
    const silent = await rawAgent(hub.url, await credential('silent', 'west'), helloFor('silent', 'west'));
    await until(async () => (await connected()).includes('silent'), 'the silent agent to connect');
    const answer = await get(`${base}/namespaces?agent_id=silent`, key);
    expect([answer.status, answer.json().code]).toEqual([504, 'AGENT_TIMEOUT']);
    expect(answer.json().message).toContain('WEBSOCKET_TIMEOUT');
    const request = silent.frames.find((f) => f.type === 'request')!;
    expect(request).toMatchObject({ op: 'namespaces', timeoutMs: 2000 });
    await until(
      () => silent.frames.some((f) => f.type === 'cancel' && f.id === request.id),
      'the cancel frame',
    );
    silent.ws.close();
  });

  it.each([
    ['not JSON', '{oops'],
    ['an unknown frame type', JSON.stringify({ type: 'shell', command: 'rm -rf /' })],
    ['a response without an id', JSON.stringify({ type: 'response', ok: true })],
    ['a second hello', JSON.stringify(helloFor('hostile', 'west'))],
  ])('a malformed frame (%s) closes that agent only', async (_what, frame) => {
    const hostile = await rawAgent(hub.url, await credential('hostile', 'west'), helloFor('hostile', 'west'));
    await until(async () => (await connected()).includes('hostile'), 'the hostile agent to connect');
    hostile.ws.send(frame);
    expect((await hostile.closed).code).toBe(1008);
    expect(await connected()).not.toContain('hostile');
    const ok = await get(`${base}/namespaces?agent_id=agent-west`, key);
    expect(ok.status).toBe(200);
  });

  it('an oversized frame closes that agent with 1009; others are unaffected', async () => {
    const big = await rawAgent(hub.url, await credential('big', 'west'), helloFor('big', 'west'));
    await until(async () => (await connected()).includes('big'), 'the agent to connect');
    big.ws.send(JSON.stringify({ type: 'pong', nonce: 1, pad: 'x'.repeat(100_000) }));
    expect((await big.closed).code).toBe(1009);
    expect((await get(`${base}/namespaces?agent_id=agent-west`, key)).status).toBe(200);
  });

  it('refuses an agent that claims to be another (impersonation) and one with a bad hello', async () => {
    const own = await credential('mallory', 'west');
    const impostor = await rawAgent(hub.url, own, helloFor('agent-west', 'west'));
    const closed = await impostor.closed;
    expect(closed.code).toBe(4003);
    expect(closed.reason).toContain('is for agent "mallory"');
    const otherCluster = await rawAgent(hub.url, own, helloFor('mallory', 'east'));
    expect((await otherCluster.closed).code).toBe(4003);
    const garbage = await rawAgent(hub.url, own, { type: 'hello', protocol: 99 });
    expect((await garbage.closed).code).toBe(1008);
    expect(await connected()).toEqual(['agent-west']);
    const described = (await get(`${base}/agents/agent-west`, key)).json<{ agent: { version: string } }>();
    expect(described.agent.version).toBe('0.1.0');
  });

  it('refuses the upgrade with 401 for a missing or wrong credential, with the JSON error', async () => {
    for (const header of [
      undefined,
      'Bearer ksa_0123456789abcdef_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    ]) {
      const ws = new WebSocket(`${hub.url.replace('http', 'ws')}/api/v3.0/cluster/agents/connect`, {
        headers: header ? { authorization: header } : {},
      });
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('error', () => {});
      });
      expect(status).toBe(401);
    }
  });

  it('a reconnecting agent replaces its stale session', async () => {
    const cred = await credential('twice', 'west');
    const first = await rawAgent(hub.url, cred, helloFor('twice', 'west'));
    await until(async () => (await connected()).includes('twice'), 'the first session');
    const second = await rawAgent(hub.url, cred, helloFor('twice', 'west'));
    expect((await first.closed).code).toBe(4001);
    await until(() => second.frames.some((f) => f.type === 'welcome'), 'the second welcome');
    expect((await connected()).filter((a) => a === 'twice')).toEqual(['twice']);
    second.ws.close();
  });

  it('revoking an agent credential closes its session', async () => {
    const created = await hub.hub.credentials.create({ name: 'short-lived', labels: { cluster: 'west' } });
    const agent = await rawAgent(hub.url, created.key, helloFor('short-lived', 'west'));
    await until(async () => (await connected()).includes('short-lived'), 'the session');
    await hub.hub.credentials.revoke(created.info.id);
    expect((await agent.closed).code).toBe(4004);
  });
});

describe('admission after a restart', () => {
  it('admits a bounded number of handshakes per second and tells the rest when to retry', async () => {
    const busy = await startHub(hubCluster, { HANDSHAKES_PER_SECOND: '2' });
    try {
      const cred = await busy.hub.credentials.create({ name: 'crowd', labels: { cluster: 'west' } });
      const statuses: { status: number; retryAfter: string | undefined }[] = [];
      await Promise.all(
        Array.from({ length: 6 }, async () => {
          const ws = new WebSocket(`${busy.url.replace('http', 'ws')}/api/v3.0/cluster/agents/connect`, {
            headers: { authorization: `Bearer ${cred.key}` },
          });
          ws.on('error', () => {});
          await new Promise<void>((resolve) => {
            ws.on('open', () => {
              statuses.push({ status: 101, retryAfter: undefined });
              ws.close();
              resolve();
            });
            ws.on('unexpected-response', (_req, res) => {
              statuses.push({
                status: res.statusCode ?? 0,
                retryAfter: res.headers['retry-after'] as string,
              });
              resolve();
            });
          });
        }),
      );
      expect(statuses.filter((s) => s.status === 101).length).toBe(2);
      expect(statuses.filter((s) => s.status === 503).every((s) => Number(s.retryAfter) >= 1)).toBe(true);
      expect(statuses.filter((s) => s.status === 503).length).toBe(4);
    } finally {
      await busy.close();
    }
  });
});
