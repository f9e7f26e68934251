import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runProcess, startProcess } from '../kubectl.js';
import { SUITE, useConformanceCluster } from './harness.js';

// The API semantics kubectl relies on beyond the daily reads and writes: the serve command, auth,
// rollout bookkeeping, events, explain and field validation, wide tables, pagination, apply conflicts.

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = ['--conditions=source', '--import', 'tsx', 'src/bin/cli.ts'];

/** Rows of kubectl's table output, keyed by the upper-case column headers. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

describe('kubectl', SUITE, () => {
  it('kubesmart-mock serve & without a TTY, then get; SIGTERM stops it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kubesmart-serve-'));
    const kubeconfig = join(home, 'kubeconfig');
    const serve = startProcess(process.execPath, [...CLI, 'serve', '--kubeconfig', kubeconfig], {
      cwd: PACKAGE_DIR,
      env: { PATH: process.env.PATH, HOME: home },
    });
    try {
      await serve.waitForOutput('the serve banner', (out) => out.includes('Serving until'), 60_000);
      const got = await runProcess('kubectl', ['--kubeconfig', kubeconfig, 'get', 'ns'], {
        env: { PATH: process.env.PATH, HOME: home },
      });
      expect(got.stderr).toBe('');
      expect(table(got.stdout).map((r) => r.NAME)).toContain('default');
      expect(serve.child.exitCode).toBeNull();
      serve.child.kill('SIGTERM');
      const result = await serve.exited;
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('kubesmart-mock: SIGTERM, stopping\nkubesmart-mock: stopped\n');
    } finally {
      await serve.stop();
      await rm(home, { recursive: true, force: true });
    }
  });

  it('kubesmart-mock check lists the pods with kubectl and exits', async () => {
    const home = await mkdtemp(join(tmpdir(), 'kubesmart-check-'));
    try {
      const result = await runProcess(process.execPath, [...CLI, 'check', '--kubeconfig', join(home, 'kc')], {
        cwd: PACKAGE_DIR,
        env: { PATH: process.env.PATH, HOME: home },
        timeoutMs: 120_000,
      });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('$ kubectl get pods -A -o wide');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  describe('auth', () => {
    const viewerRules = [
      { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list', 'watch'] },
    ];
    const k = useConformanceCluster({
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
      const admin = await k.kubectl(['auth', 'can-i', 'list', 'pods']);
      expect([admin.code, admin.stdout.trim()]).toEqual([0, 'yes']);
      const viewer = await k.cluster.writeKubeconfig(`${k.dir}/viewer.kubeconfig`, { user: 'viewer' });
      const may = await k.kubectl(['auth', 'can-i', 'list', 'pods'], { env: k.env({ KUBECONFIG: viewer }) });
      expect([may.code, may.stdout.trim()]).toEqual([0, 'yes']);
      const mayNot = await k.kubectl(['auth', 'can-i', 'delete', 'pods', '-n', 'kube-system'], {
        env: k.env({ KUBECONFIG: viewer }),
      });
      expect(mayNot.code).toBe(1);
      expect(mayNot.stdout).toMatch(/^no - no rule of user "viewer" allows delete resource "pods"/);
    });

    it('auth whoami', async () => {
      const viewer = await k.cluster.writeKubeconfig(`${k.dir}/viewer-whoami.kubeconfig`, {
        user: 'viewer',
      });
      const rows = table(
        await k.kubectl(['auth', 'whoami'], { env: k.env({ KUBECONFIG: viewer }) }).then((r) => r.stdout),
      );
      expect(rows).toEqual(
        expect.arrayContaining([
          { ATTRIBUTE: 'Username', VALUE: 'viewer' },
          { ATTRIBUTE: 'Groups', VALUE: '[system:authenticated]' },
        ]),
      );
      const asViewer = JSON.parse(await k.kubectlOk('auth', 'whoami', '--as', 'viewer', '-o', 'json')) as {
        status: { userInfo: { username: string } };
      };
      expect(asViewer.status.userInfo.username).toBe('viewer');
    });

    it('get secrets --as=viewer is Forbidden for a viewer', async () => {
      const denied = await k.kubectl(['get', 'secrets', '--as=viewer']);
      expect(denied.code).toBe(1);
      expect(denied.stderr).toContain(
        'Error from server (Forbidden): secrets is forbidden: User "viewer" cannot list resource "secrets" in API group "" in the namespace "default"',
      );
      expect((await k.kubectl(['get', 'pods', '--as=viewer'])).code).toBe(0);
      const canI = await k.kubectl(['auth', 'can-i', 'list', 'secrets', '--as=viewer']);
      expect(canI.code).toBe(1);
      expect(canI.stdout).toMatch(/^no\b/);
    });

    it('impersonation needs the impersonate verb on that user', async () => {
      const support = await k.cluster.writeKubeconfig(`${k.dir}/support.kubeconfig`, { user: 'support' });
      expect(
        (await k.kubectl(['get', 'pods', '--as=viewer'], { env: k.env({ KUBECONFIG: support }) })).code,
      ).toBe(0);
      const other = await k.kubectl(['get', 'pods', '--as=admin'], { env: k.env({ KUBECONFIG: support }) });
      expect(other.code).toBe(1);
      expect(other.stderr).toContain(
        'users "admin" is forbidden: User "support" cannot impersonate resource "users" in API group "" at the cluster scope',
      );
      const group = await k.kubectl(['get', 'pods', '--as=viewer', '--as-group=system:masters'], {
        env: k.env({ KUBECONFIG: support }),
      });
      expect(group.code).toBe(1);
      expect(group.stderr).toContain('cannot impersonate resource "groups"');
    });
  });
});
