import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KeyStore } from '@kubesmart/access';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { waitFor } from '@kubesmart/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `kubesmart hub` runs as a real child process (tsx, sources) against the emulator; a KeyStore as the
// hub holds it checks what the commands wrote.

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

let cluster: MockCluster;
let home: string;
let kubeconfig: string;
let ks: KubeSmart;
let keys: KeyStore;
let agents: KeyStore;

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', MAIN, '--kubeconfig', kubeconfig, ...args],
      {
        env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

beforeAll(async () => {
  cluster = await createMockCluster();
  home = await mkdtemp(join(tmpdir(), 'kubesmart-hub-cli-'));
  kubeconfig = await cluster.writeKubeconfig(join(home, 'kubeconfig'));
  ks = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  keys = new KeyStore({ kubeSmart: ks, secretName: 'cluster-hub-api-keys' });
  agents = new KeyStore({ kubeSmart: ks, secretName: 'cluster-hub-agents', prefix: 'ksa' });
  await Promise.all([keys.load(), agents.load()]);
});

afterAll(async () => {
  keys.close();
  agents.close();
  await ks.close();
  await cluster.close();
  await rm(home, { recursive: true, force: true });
});

describe('kubesmart hub keys', () => {
  it('creates a scoped key shown once, lists it without secrets, and revokes it', async () => {
    const created = await run(
      'hub',
      'keys',
      'create',
      'ci',
      '--scope',
      'clusters=prod;operations=namespaces,pods',
      '--expires',
      '30d',
    );
    expect(created.code).toBe(0);
    const key = created.stdout.trim();
    expect(key).toMatch(/^ksh_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('shown only this once');
    const id = key.split('_')[1]!;
    await waitFor('the hub store to see the key', () => keys.verify(key).ok);
    expect(keys.verify(key)).toMatchObject({
      ok: true,
      key: { name: 'ci', scopes: { clusters: ['prod'], operations: ['namespaces', 'pods'] } },
    });

    const listed = await run('hub', 'keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      new RegExp(`${id}\\s+ci\\s+clusters=prod; operations=namespaces,pods\\s+\\S+\\s+\\S+\\s+active`),
    );
    expect(listed.stdout).not.toContain(key.split('_')[2]);
    const json = JSON.parse((await run('hub', 'keys', 'list', '-o', 'json')).stdout) as {
      id: string;
      digest?: string;
    }[];
    expect(json.find((k) => k.id === id)).toBeDefined();
    expect(JSON.stringify(json)).not.toContain('sha256:');

    const revoked = await run('hub', 'keys', 'revoke', id);
    expect(revoked).toMatchObject({ code: 0 });
    expect(revoked.stdout).toContain(`${id} (ci) revoked`);
    await waitFor('the hub store to see the revocation', () => !keys.verify(key).ok);
    expect(keys.verify(key)).toMatchObject({ ok: false, reason: 'revoked' });
    expect((await run('hub', 'keys', 'list')).stdout).toMatch(new RegExp(`${id}.*revoked`));
  });

  it('says what is wrong with bad input', async () => {
    expect(await run('hub', 'keys', 'revoke', 'ffffffffffffffff')).toMatchObject({ code: 1 });
    const scope = await run('hub', 'keys', 'create', 'x', '--scope', 'teams=a');
    expect(scope.code).toBe(2);
    expect(scope.stderr).toContain('scope "teams=a"');
    const expires = await run('hub', 'keys', 'create', 'x', '--expires', 'soon');
    expect(expires.code).toBe(2);
    expect(expires.stderr).toContain('--expires "soon"');
    expect((await run('hub', 'tokens', 'list')).code).toBe(2);
  });
});

describe('kubesmart hub agents', () => {
  it('registers an agent credential for one agent in one cluster, lists and revokes it', async () => {
    const registered = await run('hub', 'agents', 'register', 'agent-prod', '--cluster', 'prod');
    expect(registered.code).toBe(0);
    const credential = registered.stdout.trim();
    expect(credential).toMatch(/^ksa_[0-9a-f]{16}_/);
    await waitFor('the hub store to see the credential', () => agents.verify(credential).ok);
    expect(agents.verify(credential)).toMatchObject({
      ok: true,
      key: { name: 'agent-prod', labels: { cluster: 'prod' } },
    });
    const listed = await run('hub', 'agents', 'list');
    expect(listed.stdout).toMatch(/agent-prod\s+prod\s+.*active/);
    const id = credential.split('_')[1]!;
    expect((await run('hub', 'agents', 'revoke', id)).code).toBe(0);
    await waitFor('the revocation', () => !agents.verify(credential).ok);
    expect((await run('hub', 'agents', 'register', 'agent-x')).code).toBe(2);
  });
});
