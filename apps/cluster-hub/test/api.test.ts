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
let east: MockCluster;
let hub: RunningHub;
let agent: RunningAgent;
let key: string;
let base: string;

beforeAll(async () => {
  hubCluster = await createMockCluster();
  east = await startAgentCluster('east');
  hub = await startHub(hubCluster, { RATE_LIMIT_REQUESTS_PER_MINUTE: '100000' });
  agent = await startAgent(hub.hub, hub.url, east, 'agent-east', 'east');
  key = await apiKey(hub.hub);
  base = `${hub.url}/api/v3.0/cluster`;
});

afterAll(async () => {
  await agent?.close();
  await hub?.close();
  await east?.close();
  await hubCluster?.close();
});

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('the seed endpoints, field for field', () => {
  it('GET /health', async () => {
    const answer = await get(`${base}/health`, key);
    expect(answer.status).toBe(200);
    const body = answer.json();
    expect(Object.keys(body)).toEqual(['status', 'service', 'timestamp', 'version']);
    expect(body).toMatchObject({ status: 'healthy', service: 'cluster_service', version: '1.0.0' });
    expect(body.timestamp).toMatch(ISO_MS);
  });

  it('GET /namespaces?agent_id=&cluster_id= from the watch cache, without an API call', async () => {
    await until(() => agent.agent.status().connected, 'the agent');
    const before = agent.kubeSmart.context.client.stats();
    const answer = await get(`${base}/namespaces?agent_id=agent-east&cluster_id=east`, key);
    expect(answer.status).toBe(200);
    const body = answer.json<Record<string, unknown> & { namespaces: Record<string, unknown>[] }>();
    expect(Object.keys(body)).toEqual([
      'success',
      'agent_id',
      'cluster_id',
      'namespaces',
      'total_count',
      'message',
      'timestamp',
    ]);
    expect(body).toMatchObject({
      success: true,
      agent_id: 'agent-east',
      cluster_id: 'east',
      message: 'Successfully retrieved namespaces from cluster',
    });
    expect(body.total_count).toBe(body.namespaces.length);
    const shop = body.namespaces.find((n) => n.name === 'east-shop')!;
    expect(Object.keys(shop)).toEqual(['name', 'status', 'created_at', 'labels', 'annotations']);
    expect(shop).toMatchObject({ status: 'Active', labels: { team: 'east' }, annotations: {} });
    expect(shop.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(body.namespaces.map((n) => n.name)).toContain('default');
    expect(agent.kubeSmart.context.client.stats()).toEqual(before);
  });

  it("echoes a numeric cluster_id as a number, as the seed does, and refuses one that is not the agent's", async () => {
    const wrong = await get(`${base}/namespaces?agent_id=agent-east&cluster_id=123`, key);
    expect([wrong.status, wrong.json().code]).toEqual([404, 'AGENT_NOT_IN_CLUSTER']);
    expect(wrong.json().message).toContain('serves cluster "east"');
  });

  it('GET /agents/connected', async () => {
    const answer = await get(`${base}/agents/connected`, key);
    const body = answer.json();
    expect(Object.keys(body)).toEqual(['success', 'connected_agents', 'total_count', 'timestamp']);
    expect(body).toMatchObject({ success: true, connected_agents: ['agent-east'], total_count: 1 });
  });
});

describe("the agent's other operations", () => {
  it('GET /agents/:id: version, cluster, connected since, last heartbeat, in-flight requests', async () => {
    const body = (await get(`${base}/agents/agent-east`, key)).json<{ agent: Record<string, unknown> }>();
    expect(body.agent).toMatchObject({
      agent_id: 'agent-east',
      cluster_id: 'east',
      version: '0.1.0',
      connected: true,
      in_flight_requests: 0,
      operations: ['namespaces', 'pods', 'services', 'events', 'logs'],
    });
    expect(body.agent.connected_since).toMatch(ISO_MS);
    expect(body.agent.last_heartbeat).toMatch(ISO_MS);
  });

  it('GET /pods with broken=true and diagnose=true', async () => {
    const all = (await get(`${base}/pods?agent_id=agent-east&namespace=east-shop`, key)).json<{
      pods: { name: string }[];
    }>();
    expect(all.pods.length).toBe(3);
    await until(
      async () =>
        (await get(`${base}/pods?agent_id=agent-east&namespace=east-shop&broken=true`, key))
          .json<{ pods: { name: string }[] }>()
          .pods.some((p) => p.name === 'payments'),
      'the crash-looping pod to show as broken',
    );
    const broken = (
      await get(`${base}/pods?agent_id=agent-east&namespace=east-shop&broken=true&diagnose=true`, key)
    ).json<{
      pods: { name: string; broken: boolean; diagnosis: { reason: string; findings: { fix: string }[] } }[];
      total_count: number;
    }>();
    expect(broken.pods.map((p) => p.name)).toEqual(['payments']);
    expect(broken.pods[0]!.broken).toBe(true);
    expect(broken.pods[0]!.diagnosis.reason).toBe('CrashLoopBackOff');
    expect(broken.pods[0]!.diagnosis.findings[0]!.fix).toBeTypeOf('string');
  });

  it('GET /services with their endpoints', async () => {
    await until(
      async () =>
        (await get(`${base}/services?agent_id=agent-east&namespace=east-shop`, key)).json<{
          services: { endpoints: unknown[] }[];
        }>().services[0]?.endpoints.length === 2,
      'the web service to have two endpoints',
    );
    const body = (await get(`${base}/services?agent_id=agent-east&namespace=east-shop`, key)).json<{
      services: {
        name: string;
        ports: unknown[];
        endpoints: { ip: string; ready: boolean; pod: string }[];
      }[];
    }>();
    expect(body.services[0]).toMatchObject({
      name: 'web',
      ports: [{ name: 'http', port: 80, target_port: 80, protocol: 'TCP' }],
    });
    expect(body.services[0]!.endpoints.every((e) => e.ready && e.pod.startsWith('web-'))).toBe(true);
  });

  it('GET /events', async () => {
    const body = (await get(`${base}/events?agent_id=agent-east&namespace=east-shop&limit=5`, key)).json<{
      events: { namespace: string }[];
      total_count: number;
    }>();
    expect(body.total_count).toBeLessThanOrEqual(5);
    expect(body.events.every((e) => e.namespace === 'east-shop')).toBe(true);
  });

  it("GET /logs streams a pod's log", async () => {
    for (let i = 0; i < 2000; i += 1)
      east.pods.appendLog('payments', `line ${i} ${'x'.repeat(60)}`, { namespace: 'east-shop' });
    const answer = await get(`${base}/logs?agent_id=agent-east&namespace=east-shop&pod=payments`, key);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(answer.text).toBe(east.pods.logs('east-shop', 'payments'));
    expect(answer.text).toContain('line 1999 ');
    const tail = await get(
      `${base}/logs?agent_id=agent-east&namespace=east-shop&pod=payments&tailLines=1`,
      key,
    );
    expect(tail.text.trim()).toMatch(/^line 1999 x+$/);
  });
});

describe('bad input gets a clear answer in one JSON shape', () => {
  const shape = (body: Record<string, unknown>) =>
    expect(Object.keys(body).filter((k) => k !== 'parameter')).toEqual(['error', 'code', 'message']);

  it.each([
    ['no key', undefined, 'MISSING_API_KEY'],
    ['a malformed key', 'hello', 'INVALID_API_KEY'],
    ['an unknown key', `ksh_0123456789abcdef_${'a'.repeat(43)}`, 'INVALID_API_KEY'],
  ])('401 for %s', async (_what, presented, code) => {
    const answer = await get(`${base}/health`, presented);
    expect([answer.status, answer.json().code]).toEqual([401, code]);
    shape(answer.json());
  });

  it('401 for an expired and for a revoked key', async () => {
    const expired = await hub.hub.keys.create({ name: 'old', expiresAt: Date.now() - 1 });
    const answer = await get(`${base}/health`, expired.key);
    expect([answer.status, answer.json().code]).toEqual([401, 'EXPIRED_API_KEY']);
    const soon = await hub.hub.keys.create({ name: 'soon-revoked' });
    expect((await get(`${base}/health`, soon.key)).status).toBe(200);
    await hub.hub.keys.revoke(soon.info.id);
    const revoked = await get(`${base}/health`, soon.key);
    expect([revoked.status, revoked.json().code]).toEqual([401, 'REVOKED_API_KEY']);
  });

  it('403 for a key without the scope, naming it', async () => {
    const narrow = await apiKey(hub.hub, 'narrow', { operations: ['namespaces'], clusters: ['west'] });
    const pods = await get(`${base}/pods?agent_id=agent-east`, narrow);
    expect([pods.status, pods.json().code]).toEqual([403, 'SCOPE_DENIED']);
    expect(pods.json().message).toContain('operation "pods"');
    const cluster = await get(`${base}/namespaces?agent_id=agent-east`, narrow);
    expect([cluster.status, cluster.json().code]).toEqual([403, 'SCOPE_DENIED']);
    expect(cluster.json().message).toContain('cluster "east"');
    const listed = (await get(`${base}/agents/connected`, narrow)).json();
    expect(listed).toMatchObject({ connected_agents: [], total_count: 0 });
    shape(pods.json());
  });

  it('404 for an unknown agent, 503 for a registered one that is not connected', async () => {
    const unknown = await get(`${base}/namespaces?agent_id=nobody`, key);
    expect([unknown.status, unknown.json().code]).toEqual([404, 'AGENT_UNKNOWN']);
    expect(unknown.json().message).toContain('kubesmart hub agents register nobody');
    await hub.hub.credentials.create({ name: 'agent-offline', labels: { cluster: 'north' } });
    const offline = await get(`${base}/namespaces?agent_id=agent-offline`, key);
    expect([offline.status, offline.json().code]).toEqual([503, 'AGENT_NOT_CONNECTED']);
    expect(offline.headers.get('retry-after')).toBe('5');
    const described = await get(`${base}/agents/agent-offline`, key);
    expect(described.status).toBe(503);
    shape(offline.json());
  });

  it.each([
    ['/namespaces', 'agent_id'],
    ['/namespaces?agent_id=Bad_Id', 'agent_id'],
    ['/namespaces?agent_id=agent-east&cluster_id=', 'cluster_id'],
    ['/namespaces?agent_id=agent-east&verbose=1', 'verbose'],
    ['/pods?agent_id=agent-east&broken=maybe', 'broken'],
    ['/events?agent_id=agent-east&limit=0', 'limit'],
    ['/logs?agent_id=agent-east&namespace=east-shop', 'pod'],
    ['/logs?agent_id=agent-east&namespace=east-shop&pod=payments&tailLines=-1', 'tailLines'],
  ])('400 naming the parameter: %s', async (path, parameter) => {
    const answer = await get(`${base}${path}`, key);
    expect([answer.status, answer.json().code, answer.json().parameter]).toEqual([
      400,
      'BAD_PARAMETER',
      parameter,
    ]);
    expect(answer.json().message).toContain(parameter);
  });

  it('404 from the agent for a pod that is not there; unknown routes get the same shape', async () => {
    const missing = await get(`${base}/logs?agent_id=agent-east&namespace=east-shop&pod=nope`, key);
    expect([missing.status, missing.json().code]).toEqual([404, 'NOT_FOUND']);
    expect(missing.json().message).toContain('pod "nope"');
    const route = await get(`${hub.url}/api/v3.0/cluster/nothing`, key);
    expect([route.status, route.json().code]).toEqual([404, 'NO_ROUTE']);
  });

  it('probes need no key', async () => {
    expect((await get(`${hub.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await get(`${hub.url}/readyz`)).json()).toEqual({ status: 'ready' });
  });
});
