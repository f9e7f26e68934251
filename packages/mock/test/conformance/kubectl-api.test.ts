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
        ['--conditions=source', '--import', 'tsx', 'src/bin/cli.ts', 'check', '--kubeconfig', join(home, 'kc')],
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
});
