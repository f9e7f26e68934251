import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startDemoCluster } from '../src/demoCluster.js';
import type { DemoSummary } from '../src/summary.js';

const APP = fileURLToPath(new URL('..', import.meta.url));

/** Runs `pnpm demo`'s runner without a terminal, as CI does, and returns its output. */
function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'src/main.ts', ...args],
      {
        cwd: APP,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: '' },
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
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('pnpm demo, non-interactive', () => {
  it('kills, hangs and slows pods and scales a Deployment with zero client-visible errors for idempotent requests', async () => {
    const { code, stdout, stderr } = await runDemo(['--ci', '--speed', '0.7']);
    expect(stderr).not.toMatch(/demo: /);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as DemoSummary;
    expect(summary.mode).toBe('emulated');
    expect(summary.requests).toBeGreaterThan(500);
    expect(summary.idempotentRequests).toBeGreaterThan(0);
    expect(summary.idempotentClientErrors).toBe(0);
    expect(summary).toHaveProperty('clientErrors');
    expect(summary).toHaveProperty('failovers');
    expect(summary).toHaveProperty('ejections');
    expect(summary.faults.map((f) => f.kind)).toEqual(['kill', 'hang', 'slow', 'scale']);
    // Every bad pod was routed around, and the scaled Deployment's new pods got traffic.
    for (const fault of summary.faults.filter((f) => f.kind === 'kill' || f.kind === 'hang')) {
      expect(fault.lastRequestMs, fault.target).not.toBeNull();
      expect(fault.endpointRemovedMs, fault.target).not.toBeNull();
    }
    expect(summary.faults.find((f) => f.kind === 'scale')?.scaledMs).not.toBeNull();
    expect(Object.keys(summary.timeToEjectMs)).toHaveLength(2);
    expect(stdout).toContain('dashboard  http://127.0.0.1:');
    expect(stdout).toContain('export KUBECONFIG=');
  }, 180_000);

  it('runs the gateway against the cluster a --kubeconfig names, without injecting faults', async () => {
    const cluster = await startDemoCluster({ probeIntervalMs: 500 });
    const dir = await mkdtemp(join(tmpdir(), 'kubesmart-demo-test-'));
    try {
      for (const app of ['catalog', 'cart', 'order']) await cluster.waitForReady(app, 3);
      const kubeconfig = await cluster.cluster.writeKubeconfig(join(dir, 'kubeconfig'), {
        namespace: 'shop',
      });
      const { code, stdout } = await runDemo(['--ci', '--kubeconfig', kubeconfig, '--speed', '0.3']);
      expect(code).toBe(0);
      const summary = JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as DemoSummary;
      expect(summary).toMatchObject({ mode: 'cluster', clientErrors: 0, faults: [] });
      expect(summary.requests).toBeGreaterThan(10);
    } finally {
      await cluster.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('explains a configuration that is not valid, and exits 1', async () => {
    const { code, stderr } = await runDemo([
      '--ci',
      '--config',
      fileURLToPath(new URL('../package.json', import.meta.url)),
    ]);
    expect(code).toBe(1);
    expect(stderr).toContain('is not valid');
  }, 60_000);
});
