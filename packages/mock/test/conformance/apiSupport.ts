import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createMockCluster, type MockCluster, type MockClusterOptions } from '../../src/index.js';
import type { KubeObject } from '../../src/types.js';

// Helpers of the kubectl API suite: one emulated cluster per describe, kubectl run as a child
// process with its own HOME (so its discovery cache never leaks between files) and a timeout.

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlCluster {
  cluster: MockCluster;
  kubeconfig: string;
  home: string;
  /** Runs kubectl as the admin user, with optional stdin. */
  run(args: readonly string[], options?: { stdin?: string; kubeconfig?: string }): Promise<KubectlResult>;
  /** Runs kubectl as the admin user and fails the test with kubectl's stderr unless it exits 0. */
  ok(...args: string[]): Promise<string>;
  /** Writes a file under the cluster's HOME and returns its path. */
  file(name: string, text: string): Promise<string>;
  /** `kubectl get -o json` parsed. */
  json<T = KubeObject>(...args: string[]): Promise<T>;
}

export function execKubectl(
  args: readonly string[],
  home: string,
  stdin?: string,
  timeoutMs = 60_000,
): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      args,
      { env: { PATH: process.env.PATH, HOME: home }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`kubectl ${args.join(' ')} did not finish: ${error.message}`, { cause: error }));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

/** One emulated cluster for the enclosing describe, with an admin kubeconfig. */
export function useKubectlCluster(options: MockClusterOptions = {}): KubectlCluster {
  let files = 0;
  const ctx = {
    run: (args, o = {}) =>
      execKubectl(['--kubeconfig', o.kubeconfig ?? ctx.kubeconfig, ...args], ctx.home, o.stdin),
    ok: async (...args) => {
      const result = await ctx.run(args);
      if (result.code !== 0)
        throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return result.stdout;
    },
    file: async (name, text) => {
      files += 1;
      const path = join(ctx.home, `${files}-${name}`);
      await writeFile(path, text);
      return path;
    },
    json: async (...args) => JSON.parse(await ctx.ok(...args, '-o', 'json')),
  } as KubectlCluster;
  beforeAll(async () => {
    ctx.home = await mkdtemp(join(tmpdir(), 'kubesmart-kubectl-api-'));
    ctx.cluster = await createMockCluster({ probeIntervalMs: 50, ...options });
    ctx.kubeconfig = await ctx.cluster.writeKubeconfig(join(ctx.home, 'admin.kubeconfig'));
  });
  afterAll(async () => {
    await ctx.cluster?.close();
    if (ctx.home) await rm(ctx.home, { recursive: true, force: true });
  });
  return ctx;
}

/** Rows of kubectl's table output, keyed by the upper-case column headers. */
export function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

/** Polls `check` until it returns a truthy value or throws the last error after `timeoutMs`. */
export async function pollUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 30_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
