/**
 * `pnpm hub-demo`: three emulated clusters with sample namespaces and pods, an agent in each, two hub
 * replicas behind one address (as a Service), an API key, curl commands for every endpoint; then a hub
 * replica is killed and its agents move, and a rate limit is hit. With a terminal it keeps running until
 * Ctrl+C; without one (or with --ci) it ends with one JSON summary line.
 */
import { Agent } from '@kubesmart/agent';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type KubeObject, type MockCluster } from '@kubesmart/mock';
import { loadConfig } from '../config.js';
import { buildHub, type Hub } from '../server.js';
import { startBalancer } from './tcpBalancer.js';

const ci = process.argv.includes('--ci') || !process.stdout.isTTY;
const say = (line: string): void => {
  process.stdout.write(`${ci ? '' : '\u001b[36mhub-demo\u001b[0m '}${line}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  test: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<number> {
  const start = Date.now();
  while (!(await test())) {
    if (Date.now() - start > timeoutMs) throw new Error(`hub-demo: timed out waiting for ${what}`);
    await sleep(50);
  }
  return Date.now() - start;
}

function sample(cluster: string): KubeObject[] {
  const ns = `${cluster}-shop`;
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: 'shop', cluster } } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${cluster}-data`, labels: { team: 'data' } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: ns, labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'payments', namespace: ns, labels: { app: 'payments' } },
      spec: { containers: [{ name: 'main', image: 'hooli/payments:2.3.1' }] },
    },
  ];
}

const CLUSTERS = ['prod', 'staging', 'dev'];
const clusters: MockCluster[] = [];
const agents: Agent[] = [];
const agentKs: KubeSmart[] = [];
const hubs: Hub[] = [];
let closing = false;

async function shutdown(): Promise<void> {
  if (closing) return;
  closing = true;
  await Promise.allSettled(agents.map((a) => a.close()));
  await Promise.allSettled(agentKs.map((k) => k.close()));
  await Promise.allSettled(hubs.map((h) => h.close()));
  await Promise.allSettled(clusters.map((c) => c.close()));
}

async function main(): Promise<void> {
  for (const name of CLUSTERS) {
    const cluster = await createMockCluster({ probeIntervalMs: 200 });
    await cluster.apply(sample(name));
    clusters.push(cluster);
    say(`cluster ${name}: emulated API server at ${cluster.url}`);
  }
  const home = clusters[0]!;
  const env = {
    HOST: '127.0.0.1',
    PORT: '0',
    DEBUG: 'false',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '30',
    LEASE_DURATION_SECONDS: '6',
  };
  const urls = new Map<Hub, string>();
  for (const name of ['hub-a', 'hub-b']) {
    const hub = await buildHub({
      config: loadConfig({ ...env, POD_NAME: name }),
      kubeConfig: home.kubeConfig,
      logger: false,
    });
    urls.set(hub, await hub.listen());
    hubs.push(hub);
    say(`hub replica ${name} at ${urls.get(hub)}`);
  }
  const live = new Set(urls.values());
  const balancer = await startBalancer(() => [...live]);
  say(`the hub Service (both replicas): ${balancer.url}`);
  const { key } = await hubs[0]!.keys.create({ name: 'demo' });
  say(`API key (shown once): ${key}`);

  for (const [i, name] of CLUSTERS.entries()) {
    const agentId = `${name}-agent`;
    const { key: credential } = await hubs[0]!.credentials.create({
      name: agentId,
      labels: { cluster: name },
    });
    const ks = createKubeSmart({ kubeConfig: clusters[i]!.kubeConfig });
    agentKs.push(ks);
    const agent = new Agent({
      hubUrl: balancer.url,
      agentId,
      clusterId: name,
      credential,
      kubeSmart: ks,
      backoff: { baseMs: 200, maxMs: 2000 },
    });
    agent.on('connected', ({ sessionId }) =>
      say(`agent ${agentId} connected (session ${sessionId.slice(0, 8)})`),
    );
    agent.on('disconnected', ({ code, retryInMs }) =>
      say(`agent ${agentId} disconnected (${code}); retrying in ${Math.round(retryInMs)} ms`),
    );
    agent.start();
    agents.push(agent);
  }
  await Promise.all(agents.map((a) => a.connected()));
  await until(() => hubs.every((h) => h.keys.ready), 'the replicas to load the keys');
  await clusters[0]!.pods
    .setContainerState('payments', 'CrashLoopBackOff', { namespace: 'prod-shop' })
    .catch(() => undefined);

  const api = `${balancer.url}/api/v3.0/cluster`;
  const H = `-H "X-API-Key: ${key}"`;
  say('try it:');
  for (const path of [
    '/health',
    '/agents/connected',
    '/agents/prod-agent',
    '/namespaces?agent_id=prod-agent&cluster_id=prod',
    '/pods?agent_id=prod-agent&namespace=prod-shop&broken=true&diagnose=true',
    '/services?agent_id=staging-agent&namespace=staging-shop',
    '/events?agent_id=dev-agent&limit=5',
    '/logs?agent_id=prod-agent&namespace=prod-shop&pod=payments',
  ]) {
    say(`  curl ${H} "${api}${path}"`);
  }
  const ask = async (path: string) => {
    const r = await fetch(`${api}${path}`, { headers: { 'x-api-key': key } });
    return { status: r.status, body: await r.text() };
  };
  const namespaces = JSON.parse((await ask('/namespaces?agent_id=prod-agent&cluster_id=prod')).body) as {
    total_count: number;
  };
  say(`prod has ${namespaces.total_count} namespaces (from the agent's watch cache)`);

  // Kill the replica holding most agents; its agents move to the other one.
  const victim = hubs.reduce((a, b) => (a.registry.size >= b.registry.size ? a : b));
  const survivor = hubs.find((h) => h !== victim)!;
  const moving = victim.registry.all().map((s) => s.agentId);
  say(`killing the hub replica holding ${moving.join(', ') || 'no agents'}`);
  live.delete(urls.get(victim)!);
  await victim.close();
  hubs.splice(hubs.indexOf(victim), 1);
  const moveMs = await until(() => survivor.registry.size === CLUSTERS.length, 'the agents to move');
  say(`all ${CLUSTERS.length} agents are on the other replica after ${moveMs} ms`);
  const after = await ask('/namespaces?agent_id=prod-agent');
  say(`GET /namespaces after the kill: ${after.status}`);

  // Hit the rate limit: 30 requests per minute per key.
  const statuses: number[] = [];
  for (let i = 0; i < 40; i += 1) statuses.push((await ask('/health')).status);
  const limited = statuses.filter((s) => s === 429).length;
  say(
    `40 more requests with one key: ${statuses.filter((s) => s === 200).length} answered, ${limited} refused with 429 (RATE_LIMIT_REQUESTS_PER_MINUTE=30)`,
  );

  const summary = {
    clusters: CLUSTERS.length,
    agents: agents.length,
    replicas: 2,
    namespacesInProd: namespaces.total_count,
    killedReplicaAgents: moving.length,
    agentsMovedInMs: moveMs,
    statusAfterKill: after.status,
    rateLimited: limited,
  };
  if (ci) {
    await balancer.close();
    await shutdown();
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    process.exit(0);
  }
  say('running; Ctrl+C to stop');
  const stop = async (): Promise<void> => {
    await balancer.close();
    await shutdown();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main().catch(async (error: unknown) => {
  console.error(error);
  await shutdown();
  process.exit(1);
});
