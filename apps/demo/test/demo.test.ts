import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startDemoCluster } from '../src/demoCluster.js';
import type { DemoSummary } from '../src/summary.js';

const APP = fileURLToPath(new URL('..', import.meta.url));

/** Runs `pnpm demo`'s runner without a terminal, as CI does, and returns its output. */
function runDemo(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=source', 'src/main.ts', ...args],
      {
        cwd: APP,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KUBECONFIG: '', ...env },
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

const summaryOf = (stdout: string): DemoSummary =>
  JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as DemoSummary;

/** The mesh acted on every fault, and sooner than Kubernetes readiness (kubelet's probe timing) did. */
function expectMeshActions(summary: DemoSummary): void {
  for (const fault of summary.faults) {
    if (fault.kind === 'kill' || fault.kind === 'hang') {
      expect(fault.meshOutBy, fault.target).toMatch(/circuit-open|ejected|unhealthy/);
      expect(fault.endpointRemovedMs, fault.target).not.toBeNull();
      // Three failed probes, two seconds apart (the manifests' periodSeconds): never sooner.
      expect(fault.endpointRemovedMs!, fault.target).toBeGreaterThanOrEqual(3500);
      expect(fault.meshOutMs!, fault.target).toBeLessThan(fault.endpointRemovedMs!);
      expect(fault.withMesh!.requests, fault.target).toBeGreaterThan(0);
      expect(fault.withoutMesh!.requests, fault.target).toBeGreaterThan(0);
    }
    if (fault.kind === 'slow') expect(fault.trafficShare!, fault.target).toBeLessThan(1 / 3);
    if (fault.kind === 'scale') expect(fault.scaledMs, fault.target).not.toBeNull();
  }
  expect(summary.withoutMesh!.requests).toBeGreaterThan(0);
}

describe('pnpm demo, non-interactive', () => {
  it('kills, hangs and slows pods and scales a Deployment with zero client-visible errors for idempotent requests; the mesh acts on every fault, run after run', async () => {
    const { code, stdout, stderr } = await runDemo(['--ci', '--speed', '0.7']);
    expect(stderr).not.toMatch(/demo: /);
    expect(code).toBe(0);
    const summary = summaryOf(stdout);
    expectMeshActions(summary);
    expect(stdout).toMatch(/Kubernetes alone took \d/);
    expect(stdout).toMatch(/without it \d+ failed and \d+ slower than 1 s of \d+/);
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
    expect(stdout).toContain('kubectl get pods -w');
    const exported = /export KUBECONFIG=(\S+?);/.exec(stdout)?.[1];
    expect(exported).toMatch(/\.kube-demo\/kubeconfig-\d+$/);

    // The same shell again, with the printed export in effect: still the emulator, and it says why.
    const again = await runDemo(['--ci', '--speed', '0.7'], { KUBECONFIG: exported! });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(
      `KUBECONFIG (${exported}) is an earlier demo's emulated cluster, which has stopped`,
    );
    const second = summaryOf(again.stdout);
    expect(second.mode).toBe('emulated');
    expectMeshActions(second);
    expect(second.idempotentClientErrors).toBe(0);
  }, 400_000);

  it('two demos at once: the second says which port it took, and each has its own kubeconfig', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const runs = await Promise.all(
      [0, 1].map(() => runDemo(['--ci', '--speed', '0.3', '--port', String(port)])),
    );
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(summaryOf(run.stdout).mode).toBe('emulated');
    }
    const moved = runs.filter((r) =>
      r.stdout.includes(`port ${port} is taken (another demo?): this gateway took port`),
    );
    expect(moved).toHaveLength(1);
    const paths = runs.map((r) => /export KUBECONFIG=(\S+?);/.exec(r.stdout)?.[1]);
    expect(paths[0]).not.toBe(paths[1]);
    expect(paths.filter((p) => p?.endsWith(`kubeconfig-${port}`))).toHaveLength(1);
  }, 300_000);

  it('refuses an unknown option, and a --kubeconfig of a demo that has stopped, with a message and the usage', async () => {
    const bogus = await runDemo(['--bogus']);
    expect(bogus.code).toBe(2);
    expect(bogus.stderr).toMatch(/^demo: unknown option '--bogus'\n\nUsage: pnpm demo/);
    expect(bogus.stderr).not.toMatch(/\n\s+at /);
    const stale = await runDemo(['--ci', '--kubeconfig', join(tmpdir(), '.kube-demo', 'kubeconfig-1')]);
    expect(stale.code).toBe(2);
    expect(stale.stderr).toContain("belonged to an earlier demo's emulated cluster, which has stopped");
  }, 60_000);

  it('runs the gateway against the cluster a --kubeconfig names, without injecting faults', async () => {
    // kubelet's probe timing: a loaded machine's slow probe does not flap a pod out mid-run.
    const cluster = await startDemoCluster({ probeTiming: 'kubelet' });
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
