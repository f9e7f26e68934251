import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  hubCluster = await createMockCluster();
  agentCluster = await startAgentCluster('south');
});

afterAll(async () => {
  await agentCluster?.close();
  await hubCluster?.close();
});

describe('hub restart', () => {
  it('agents come back to a restarted hub on their own, and requests succeed again', async () => {
    let hub: RunningHub = await startHub(hubCluster, { RATE_LIMIT_REQUESTS_PER_MINUTE: '100000' });
    const port = new URL(hub.url).port;
    const agents: RunningAgent[] = [];
    try {
      for (const id of ['south-1', 'south-2', 'south-3'])
        agents.push(await startAgent(hub.hub, hub.url, agentCluster, id, 'south'));
      const key = await apiKey(hub.hub);
      await hub.close();
      await until(
        () => agents.every((a) => !a.agent.status().connected),
        'the agents to notice the hub is gone',
      );
      hub = await startHub(hubCluster, { PORT: port, RATE_LIMIT_REQUESTS_PER_MINUTE: '100000' });
      // The hub registers a session before its welcome reaches the agent: wait for both sides.
      await until(
        () => hub.hub.registry.size === 3 && agents.every((a) => a.agent.status().connected),
        'every agent to reconnect',
      );
      expect(agents.map((a) => a.agent.status().sessions)).toEqual([2, 2, 2]);
      const answer = await get(`${hub.url}/api/v3.0/cluster/namespaces?agent_id=south-2`, key);
      expect([answer.status, answer.status === 200 ? '' : answer.text]).toEqual([200, '']);
      expect(answer.json<{ namespaces: { name: string }[] }>().namespaces.map((n) => n.name)).toContain(
        'south-shop',
      );
    } finally {
      for (const agent of agents) await agent.close();
      await hub.close();
    }
  });
});
