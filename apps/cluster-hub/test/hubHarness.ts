import type { KeyScopes } from '@kubesmart/access';
import { Agent, type AgentOptions } from '@kubesmart/agent';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type KubeObject, type MockCluster } from '@kubesmart/mock';
import { loadConfig } from '../src/config.js';
import { buildHub, type Hub } from '../src/server.js';

/** Polls `test` until it is true; fails after `timeoutMs` naming `what`. */
export async function until(
  test: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface RunningHub {
  hub: Hub;
  url: string;
  close(): Promise<void>;
}

/** A hub replica on 127.0.0.1, port 0, keeping its keys in `cluster`. */
export async function startHub(cluster: MockCluster, env: Record<string, string> = {}): Promise<RunningHub> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', DEBUG: 'false', ...env });
  const hub = await buildHub({ config, kubeConfig: cluster.kubeConfig, logger: false });
  const url = await hub.listen();
  return { hub, url, close: () => hub.close() };
}

/** A sample cluster for an agent: namespaces with labels, a Deployment with a Service, a broken pod. */
export async function startAgentCluster(prefix: string): Promise<MockCluster> {
  const cluster = await createMockCluster({ probeIntervalMs: 100 });
  const objects: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: `${prefix}-shop`, labels: { team: prefix } } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: `${prefix}-shop`, labels: { app: 'web' } },
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
      metadata: { name: 'web', namespace: `${prefix}-shop` },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'payments', namespace: `${prefix}-shop`, labels: { app: 'payments' } },
      spec: { containers: [{ name: 'main', image: 'hooli/payments:2.3.1' }] },
    },
  ];
  await cluster.apply(objects);
  await until(
    () =>
      cluster
        .list('pods', `${prefix}-shop`)
        .filter((p) => (p.status as { phase?: string })?.phase === 'Running').length >= 3,
    'the sample pods to run',
  );
  await cluster.pods.setContainerState('payments', 'CrashLoopBackOff', { namespace: `${prefix}-shop` });
  return cluster;
}

export interface RunningAgent {
  agent: Agent;
  kubeSmart: KubeSmart;
  close(): Promise<void>;
}

/** An agent for `cluster`, registered on `hub` as `agentId` in `clusterId`, dialing `url`. */
export async function startAgent(
  hub: Hub,
  url: string,
  cluster: MockCluster,
  agentId: string,
  clusterId: string,
  extra: Partial<AgentOptions> = {},
): Promise<RunningAgent> {
  const { key } = await hub.credentials.create({ name: agentId, labels: { cluster: clusterId } });
  const kubeSmart = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  const agent = new Agent({
    hubUrl: url,
    agentId,
    clusterId,
    credential: key,
    kubeSmart,
    backoff: { baseMs: 50, maxMs: 500 },
    ...extra,
  });
  agent.start();
  await agent.connected();
  return {
    agent,
    kubeSmart,
    close: async () => {
      await agent.close();
      await kubeSmart.close();
    },
  };
}

/** An API key with `scopes`. */
export async function apiKey(hub: Hub, name = 'tests', scopes: KeyScopes = {}): Promise<string> {
  return (await hub.keys.create({ name, scopes })).key;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

export async function get(url: string, key?: string, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, { headers: { ...(key ? { 'x-api-key': key } : {}), ...headers } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}
