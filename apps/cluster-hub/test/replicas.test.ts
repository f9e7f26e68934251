import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBalancer } from '../src/demo/tcpBalancer.js';
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

let hubCluster: MockCluster;
let agentCluster: MockCluster;
let a: RunningHub;
let b: RunningHub;
let agent: RunningAgent;
let key: string;

const env = { RATE_LIMIT_REQUESTS_PER_MINUTE: '100000', LEASE_DURATION_SECONDS: '3' };

beforeAll(async () => {
  hubCluster = await createMockCluster();
  agentCluster = await startAgentCluster('north');
  a = await startHub(hubCluster, { ...env, POD_NAME: 'hub-a' });
  b = await startHub(hubCluster, { ...env, POD_NAME: 'hub-b' });
  agent = await startAgent(a.hub, a.url, agentCluster, 'agent-north', 'north');
  key = await apiKey(a.hub);
  await until(() => b.hub.keys.verify(key).ok, 'replica b to see the key');
  await until(
    async () =>
      (await get(`${b.url}/api/v3.0/cluster/agents/connected`, key))
        .json<{ connected_agents: string[] }>()
        .connected_agents.includes('agent-north'),
    'replica b to see the agent Lease',
  );
});

afterAll(async () => {
  await agent?.close();
  await a?.close();
  await b?.close();
  await agentCluster?.close();
  await hubCluster?.close();
});

describe('several replicas', () => {
  it('keeps one Lease per agent, held by the replica with the session', () => {
    const lease = hubCluster.get('lease', 'kubesmart-hub-agent-agent-north', 'default') as unknown as {
      spec: Record<string, unknown>;
    };
    expect(lease.spec).toMatchObject({ holderIdentity: 'hub-a', leaseDurationSeconds: 3 });
  });

  it('serves a request that lands on another replica through the holder (the hop)', async () => {
    const answer = await get(
      `${b.url}/api/v3.0/cluster/namespaces?agent_id=agent-north&cluster_id=north`,
      key,
    );
    expect(answer.status).toBe(200);
    expect(answer.json()).toMatchObject({ success: true, agent_id: 'agent-north', cluster_id: 'north' });
    expect(answer.json<{ namespaces: { name: string }[] }>().namespaces.map((n) => n.name)).toContain(
      'north-shop',
    );
    const described = (await get(`${b.url}/api/v3.0/cluster/agents/agent-north`, key)).json<{
      agent: Record<string, unknown>;
    }>();
    expect(described.agent).toMatchObject({ agent_id: 'agent-north', replica: 'hub-a', connected: true });
  });

  it("streams logs and passes the holder's errors through the hop", async () => {
    agentCluster.pods.appendLog('payments', 'hop line', { namespace: 'north-shop' });
    const logs = await get(
      `${b.url}/api/v3.0/cluster/logs?agent_id=agent-north&namespace=north-shop&pod=payments`,
      key,
    );
    expect([logs.status, logs.text]).toEqual([200, agentCluster.pods.logs('north-shop', 'payments')]);
    const missing = await get(
      `${b.url}/api/v3.0/cluster/logs?agent_id=agent-north&namespace=north-shop&pod=nope`,
      key,
    );
    expect([missing.status, missing.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('refuses hops that are not signed by a replica', async () => {
    const response = await fetch(`${a.url}/internal/v1/hop`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: 'KubesmartHop 1.abc' },
      body: JSON.stringify({
        agentId: 'agent-north',
        op: 'namespaces',
        params: {},
        timeoutMs: 1000,
        kind: 'call',
      }),
    });
    expect(response.status).toBe(401);
  });

  it('a key revoked on one replica is refused by the other', async () => {
    const created = await a.hub.keys.create({ name: 'revoke-me' });
    await until(
      async () => (await get(`${b.url}/api/v3.0/cluster/health`, created.key)).status === 200,
      'b to accept the key',
    );
    await a.hub.keys.revoke(created.info.id);
    await until(
      async () => (await get(`${b.url}/api/v3.0/cluster/health`, created.key)).status === 401,
      'b to refuse the revoked key',
      10_000,
    );
    expect((await get(`${b.url}/api/v3.0/cluster/health`, created.key)).json().code).toBe('REVOKED_API_KEY');
  });
});

describe('losing a replica', () => {
  it('its agents reconnect to another replica and requests succeed again', async () => {
    const c = await startHub(hubCluster, { ...env, POD_NAME: 'hub-c' });
    const d = await startHub(hubCluster, { ...env, POD_NAME: 'hub-d' });
    const live = new Set([c.url, d.url]);
    const balancer = await startBalancer(() => [...live]);
    const moving = await startAgent(c.hub, balancer.url, agentCluster, 'agent-moving', 'north');
    try {
      const holder = c.hub.registry.get('agent-moving') ? c : d;
      const other = holder === c ? d : c;
      expect((await get(`${other.url}/api/v3.0/cluster/namespaces?agent_id=agent-moving`, key)).status).toBe(
        200,
      );
      live.delete(holder.url);
      await holder.close();
      await until(
        () => other.hub.registry.get('agent-moving') !== undefined,
        'the agent to reconnect to the other replica',
      );
      const answer = await get(`${other.url}/api/v3.0/cluster/namespaces?agent_id=agent-moving`, key);
      expect(answer.status).toBe(200);
      const lease = hubCluster.get('lease', 'kubesmart-hub-agent-agent-moving', 'default') as unknown as {
        spec: { holderIdentity: string };
      };
      expect(lease.spec.holderIdentity).toBe(other === c ? 'hub-c' : 'hub-d');
    } finally {
      await moving.close();
      await balancer.close();
      await c.close();
      await d.close();
    }
  });
});
