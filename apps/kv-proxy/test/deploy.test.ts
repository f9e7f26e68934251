import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const deployDir = new URL('../deploy/', import.meta.url).pathname;

let cluster: MockCluster;
let home: string;

beforeAll(async () => {
  cluster = await createMockCluster();
  home = await mkdtemp(join(tmpdir(), 'kv-proxy-kubectl-'));
  await cluster.writeKubeconfig(join(home, 'kubeconfig'));
});
afterAll(async () => {
  await cluster?.close();
  await rm(home, { recursive: true, force: true });
});

/** The real kubectl, with a HOME of its own (its discovery cache lives there). */
function kubectl(...args: string[]): Promise<{ stdout: string }> {
  return run('kubectl', args, {
    env: { PATH: process.env.PATH, HOME: home, KUBECONFIG: join(home, 'kubeconfig') },
    timeout: 60_000,
  });
}

describe('apps/kv-proxy/deploy', () => {
  it('applies with kubectl apply -f and creates every object', async () => {
    const { stdout } = await kubectl('apply', '-f', deployDir);
    expect(stdout).toMatch(/deployment.apps\/kv-proxy created/);
    expect(cluster.get('deployment', 'kv-proxy')).toBeDefined();
    expect(cluster.get('service', 'kv-proxy')?.spec).toMatchObject({ ports: [{ port: 5001 }] });
    expect(cluster.get('ingress', 'kv-proxy')?.spec).toMatchObject({
      tls: [{ hosts: ['kv.example.com'], secretName: 'kv-proxy-tls' }],
      rules: [{ host: 'kv.example.com' }],
    });
    expect(cluster.get('configmap', 'feature-flags')).toBeDefined();
    expect(cluster.get('serviceaccount', 'kv-proxy')).toBeDefined();
    const role = cluster.get('role', 'kv-proxy')!;
    const rules = role.rules as { resources: string[]; verbs: string[]; resourceNames?: string[] }[];
    const buckets = rules.find((r) => r.resources.includes('configmaps'));
    expect(buckets).toMatchObject({
      resourceNames: ['feature-flags', 'somekey'],
      verbs: ['get', 'list', 'watch', 'update'],
    });
    expect(rules.filter((r) => r.resources.includes('configmaps'))).toHaveLength(1);
    expect(rules.find((r) => r.resources.includes('secrets'))?.resourceNames).toEqual(['kv-proxy-api-keys']);
    expect(cluster.get('rolebinding', 'kv-proxy')).toBeDefined();
    expect(cluster.get('secret', 'kv-proxy-api-keys')).toBeUndefined();
    const again = await kubectl('apply', '-f', deployDir);
    expect(again.stdout).toMatch(/deployment.apps\/kv-proxy (unchanged|configured)/);
  });
});
