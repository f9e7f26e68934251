import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Agent } from '@kubesmart/agent';
import { createKubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { buildHub } from '../src/server.js';
import { get, until } from './hubHarness.js';

const run = promisify(execFile);
const hubDeploy = new URL('../deploy/', import.meta.url).pathname;
const agentDeploy = new URL('../../../packages/agent/deploy/', import.meta.url).pathname;

let cluster: MockCluster;
let home: string;

beforeAll(async () => {
  cluster = await createMockCluster();
  home = await mkdtemp(join(tmpdir(), 'cluster-hub-kubectl-'));
  await cluster.writeKubeconfig(join(home, 'kubeconfig'));
});
afterAll(async () => {
  await cluster?.close();
  await rm(home, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<{ stdout: string }> {
  return run('kubectl', args, {
    env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'kubeconfig') },
    timeout: 60_000,
  });
}

type Rule = { apiGroups: string[]; resources: string[]; verbs: string[]; resourceNames?: string[] };

describe('deploy/ manifests', () => {
  it('apply with kubectl; the hub and the agent work with exactly the RBAC they grant', async () => {
    const applied = await kubectl('apply', '-f', hubDeploy, '-f', agentDeploy);
    expect(applied.stdout).toMatch(/deployment.apps\/cluster-hub created/);
    expect(applied.stdout).toMatch(/deployment.apps\/kubesmart-agent created/);
    expect(cluster.get('service', 'cluster-hub', 'kubesmart-hub')?.spec).toMatchObject({
      ports: [{ port: 8008 }],
    });
    const hubRules = cluster.get('role', 'cluster-hub', 'kubesmart-hub')!.rules as Rule[];
    const agentRules = cluster.get('clusterrole', 'kubesmart-agent')!.rules as Rule[];
    expect(hubRules.flatMap((r) => r.resources).sort()).toEqual(['leases', 'secrets', 'secrets']);
    expect(agentRules.flatMap((r) => r.verbs).every((v) => ['get', 'list', 'watch'].includes(v))).toBe(true);

    // A cluster whose only users are the hub and the agent with those rules.
    const inHubNamespace = (rules: Rule[]): PolicyRule[] =>
      rules.map((r) => ({ ...r, namespaces: ['kubesmart-hub'] }));
    const scoped = await createMockCluster({
      users: [
        { name: 'hub', token: 'hub-token-0123456789', rules: inHubNamespace(hubRules) },
        { name: 'agent', token: 'agent-token-0123456789', rules: agentRules },
      ],
      probeIntervalMs: 100,
    });
    try {
      await scoped.apply([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubesmart-hub' } },
        {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'web', namespace: 'default' },
          spec: { containers: [{ name: 'web', image: 'nginx' }] },
        },
      ]);
      const hub = await buildHub({
        config: loadConfig({ HOST: '127.0.0.1', PORT: '0', POD_NAMESPACE: 'kubesmart-hub', DEBUG: 'false' }),
        kubeConfig: scoped.kubeConfigFor('hub'),
        logger: false,
      });
      const url = await hub.listen();
      const ks = createKubeSmart({ kubeConfig: scoped.kubeConfigFor('agent') });
      try {
        const { key } = await hub.keys.create({ name: 'admin' });
        const credential = await hub.credentials.create({ name: 'prod-agent', labels: { cluster: 'prod' } });
        const agent = new Agent({
          hubUrl: url,
          agentId: 'prod-agent',
          clusterId: 'prod',
          credential: credential.key,
          kubeSmart: ks,
        });
        agent.start();
        await agent.connected();
        const base = `${url}/api/v3.0/cluster`;
        for (const op of ['namespaces', 'pods', 'services', 'events']) {
          const answer = await get(`${base}/${op}?agent_id=prod-agent`, key);
          expect([op, answer.status]).toEqual([op, 200]);
        }
        await until(
          () => (scoped.get('pod', 'web', 'default')?.status as { phase?: string })?.phase === 'Running',
          'the pod',
        );
        scoped.pods.appendLog('web', 'hello from web');
        const logs = await get(`${base}/logs?agent_id=prod-agent&namespace=default&pod=web`, key);
        expect([logs.status, logs.text]).toEqual([200, scoped.pods.logs('default', 'web')]);
        expect(scoped.get('lease', 'kubesmart-hub-agent-prod-agent', 'kubesmart-hub')).toBeDefined();
        await agent.close();
      } finally {
        await hub.close();
        await ks.close();
      }
    } finally {
      await scoped.close();
    }
  });
});
