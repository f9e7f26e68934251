import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { execKubectl, pollUntil, table, useKubectlCluster } from './apiSupport.js';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('kubectl', () => {
  it('kubesmart-mock serve & without a TTY, then get; SIGTERM stops it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kubesmart-serve-'));
    const kubeconfig = join(home, 'kubeconfig');
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', 'src/bin/cli.ts', 'serve', '--kubeconfig', kubeconfig],
      { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    try {
      await pollUntil('the serve banner', () => {
        if (child.exitCode !== null) throw new Error(`serve exited ${child.exitCode}: ${stderr}`);
        return stdout.includes('Serving until');
      });
      const got = await execKubectl(['--kubeconfig', kubeconfig, 'get', 'ns'], home);
      expect(got.stderr).toBe('');
      expect(table(got.stdout).map((r) => r.NAME)).toContain('default');
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      const [code] = await exited;
      expect(code).toBe(0);
      expect(stdout).toContain('kubesmart-mock: stopped');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(home, { recursive: true, force: true });
    }
  }, 90_000);

  it('kubesmart-mock check lists the pods with kubectl and exits', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kubesmart-check-'));
    try {
      const child = spawn(
        process.execPath,
        [
          '--conditions=source',
          '--import',
          'tsx',
          'src/bin/cli.ts',
          'check',
          '--kubeconfig',
          join(home, 'kc'),
        ],
        { cwd: PACKAGE_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOME: home } },
      );
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(stdout).toContain('$ kubectl get pods -A -o wide');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 90_000);

  describe('auth', () => {
    const viewerRules = [
      { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    const k = useKubectlCluster({
      users: [
        { name: 'viewer', token: 'viewer-token', rules: viewerRules },
        {
          name: 'support',
          token: 'support-token',
          rules: [
            ...viewerRules,
            { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['viewer'] },
          ],
        },
      ],
    });

    it('auth can-i list pods', async () => {
      const admin = await k.run(['auth', 'can-i', 'list', 'pods']);
      expect([admin.code, admin.stdout.trim()]).toEqual([0, 'yes']);
      const viewer = await k.cluster.writeKubeconfig(`${k.home}/viewer.kubeconfig`, { user: 'viewer' });
      const may = await k.run(['auth', 'can-i', 'list', 'pods'], { kubeconfig: viewer });
      expect([may.code, may.stdout.trim()]).toEqual([0, 'yes']);
      const mayNot = await k.run(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system'], {
        kubeconfig: viewer,
      });
      expect(mayNot.code).toBe(1);
      expect(mayNot.stdout).toMatch(/^no - no rule of user "viewer" allows delete resource "pods"/);
    });

    it('auth whoami', async () => {
      const viewer = await k.cluster.writeKubeconfig(`${k.home}/viewer-whoami.kubeconfig`, {
        user: 'viewer',
      });
      const rows = table(await k.run(['auth', 'whoami'], { kubeconfig: viewer }).then((r) => r.stdout));
      expect(rows).toEqual(
        expect.arrayContaining([
          { ATTRIBUTE: 'Username', VALUE: 'viewer' },
          { ATTRIBUTE: 'Groups', VALUE: '[system:authenticated]' },
        ]),
      );
      const asViewer = JSON.parse(await k.ok('auth', 'whoami', '--as', 'viewer', '-o', 'json')) as {
        status: { userInfo: { username: string } };
      };
      expect(asViewer.status.userInfo.username).toBe('viewer');
    });

    it('get secrets --as=viewer is Forbidden for a viewer', async () => {
      const denied = await k.run(['get', 'secrets', '--as=viewer']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain(
        'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "default"',
      );
      expect((await k.run(['get', 'pods', '--as=viewer'])).code).toBe(0);
      const canI = await k.run(['auth', 'can-i', 'list', 'secrets', '--as=viewer']);
      expect(canI.code).toBe(1);
      expect(canI.stdout).toMatch(/^no\b/);
    });

    it('impersonation needs the impersonate verb on that user', async () => {
      const support = await k.cluster.writeKubeconfig(`${k.home}/support.kubeconfig`, { user: 'support' });
      expect((await k.run(['get', 'pods', '--as=viewer'], { kubeconfig: support })).code).toBe(0);
      const other = await k.run(['get', 'pods', '--as=admin'], { kubeconfig: support });
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(
        'users "admin" is forbidden: User "support" cannot impersonate resource "users" in API group "" at the cluster scope',
      );
      const group = await k.run(['get', 'pods', '--as=viewer', '--as-group=system:masters'], {
        kubeconfig: support,
      });
      expect(group.code).toBe(1);
      expect(group.stderr).toContain('cannot impersonate resource "groups"');
    });
  });
});
