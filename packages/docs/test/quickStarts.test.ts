import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@kubesmart/wait-for';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Quick starts spawn Node processes on a loaded machine: a generous bound, polled gently. */
const PATIENT = { timeoutMs: 90_000, intervalMs: 100 };

// Every TypeScript block under "## Quick start" in a package README runs here exactly as written, as
// its own Node.js process, against `kubesmart-mock serve --sample` (the sample shop) through KUBECONFIG.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const RUN_ROOT = fileURLToPath(new URL('../.run/', import.meta.url));
const MOCK_CLI = join(ROOT, 'packages/mock/src/bin/cli.ts');
/** Decorators as Nest needs them (legacy, parameter decorators) for the package sources tsx loads. */
const DECORATOR_TSCONFIG = join(ROOT, 'packages/nestjs/tsconfig.json');

/** The TypeScript blocks of a README's "## Quick start" section, verbatim. */
export function quickStarts(readme: string): string[] {
  const section = /^## Quick start\n([\s\S]*?)(?=^## |(?![\s\S]))/m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '');
}

interface Running {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv, cwd: string): Running {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const running: Running = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal }))),
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    running.stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    running.stderr += chunk.toString();
  });
  return running;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Ends a process the way `kubectl delete pod` would (SIGTERM) and waits for it, with a deadline. */
async function terminate(running: Running): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  running.child.kill('SIGTERM');
  const timer = setTimeout(() => running.child.kill('SIGKILL'), 60_000);
  try {
    return await running.exited;
  } finally {
    clearTimeout(timer);
  }
}

let sample: Running;
let runDir: string;
let kubeconfig: string;

beforeAll(async () => {
  await mkdir(RUN_ROOT, { recursive: true });
  runDir = await mkdtemp(join(RUN_ROOT, 'run-'));
  kubeconfig = join(runDir, 'kubeconfig');
  sample = start(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', MOCK_CLI, 'serve', '--sample', '--kubeconfig', kubeconfig],
    {},
    ROOT,
  );
  await waitFor(
    'the sample cluster',
    () => {
      if (sample.child.exitCode !== null) throw new Error(`kubesmart-mock exited: ${sample.stderr}`);
      return sample.stdout.includes('kubeconfig:') && existsSync(kubeconfig);
    },
    PATIENT,
  );
});

afterAll(async () => {
  if (sample) await terminate(sample);
  if (runDir) await rm(runDir, { recursive: true, force: true });
});

/** Writes the snippet as a module (TypeScript's own transpiler: Nest needs decorator metadata) and runs it. */
async function runSnippet(name: string, code: string, port: number): Promise<Running> {
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
    },
  });
  const file = join(runDir, `${name}.mjs`);
  await writeFile(file, outputText);
  return start(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', file],
    { KUBECONFIG: kubeconfig, PORT: String(port), TSX_TSCONFIG_PATH: DECORATOR_TSCONFIG },
    runDir,
  );
}

async function getJson(port: number, path: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
  return res.status === 200 ? res.json() : undefined;
}

const readme = (pkg: string): Promise<string> => readFile(join(ROOT, 'packages', pkg, 'README.md'), 'utf8');

/** What each quick start must do once started: answer on its port, or print and exit by itself. */
const CHECKS: Record<string, (running: Running, port: number) => Promise<void>> = {
  core: async (running) => {
    await waitFor('the answer of a cart pod', () => /^200 cart-\S+ \{/m.test(running.stdout), PATIENT);
    const { code } = await terminate(running);
    expect(code).toBe(0);
  },
  express: async (running, port) => {
    const body = await waitFor('GET /products', () => getJson(port, '/products'), PATIENT);
    expect(body).toMatchObject({ pod: expect.stringMatching(/^catalog-/), path: '/products' });
    const { code } = await terminate(running);
    expect(code).toBe(0);
  },
  fastify: async (running, port) => {
    const body = await waitFor('GET /products', () => getJson(port, '/products'), PATIENT);
    expect(body).toMatchObject({ pod: expect.stringMatching(/^catalog-/), path: '/products' });
    expect(await getJson(port, '/kubesmart/healthz')).toMatchObject({ status: 'up' });
    const { code } = await terminate(running);
    expect(code).toBe(0);
  },
  nestjs: async (running, port) => {
    const body = await waitFor('GET /products', () => getJson(port, '/products'), PATIENT);
    expect(body).toMatchObject({ pod: expect.stringMatching(/^catalog-/), path: '/products' });
    expect(await getJson(port, '/ready')).toMatchObject({
      status: 'ok',
      info: { kubesmart: { status: 'up' } },
    });
    const { code, signal } = await terminate(running);
    // Nest's shutdown hooks close the app, then re-raise the signal.
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
  },
  selectors: async (running) => {
    const { code } = await waitFor('the quick start to end', () => running.exited, PATIENT);
    expect(running.stderr).toBe('');
    expect(code).toBe(0);
    expect(running.stdout).toBe('true\napp in (api,web),!legacy,replicas>1,tier!=db\ntrue\n');
  },
  mock: async (running) => {
    const { code } = await waitFor('the quick start to end', () => running.exited, {
      ...PATIENT,
      timeoutMs: 120_000,
    });
    expect(running.stderr).toBe('');
    expect(code).toBe(0);
    expect(running.stdout).toMatch(/pod: 'web'/);
  },
};

describe('README quick starts run as written', () => {
  it('every package README with a TypeScript quick start has a check here', async () => {
    const withSnippets: string[] = [];
    for (const pkg of await readdir(join(ROOT, 'packages'))) {
      const file = join(ROOT, 'packages', pkg, 'README.md');
      if (existsSync(file) && quickStarts(await readFile(file, 'utf8')).length > 0) withSnippets.push(pkg);
    }
    expect(withSnippets.sort()).toEqual(Object.keys(CHECKS).sort());
  });

  for (const [pkg, check] of Object.entries(CHECKS)) {
    it(`packages/${pkg}/README.md`, async () => {
      const snippets = quickStarts(await readme(pkg));
      expect(snippets).toHaveLength(1);
      const port = await freePort();
      const running = await runSnippet(pkg, snippets[0] ?? '', port);
      try {
        await check(running, port);
      } catch (error) {
        throw new Error(
          `${(error as Error).message}\n--- stdout\n${running.stdout}\n--- stderr\n${running.stderr}`,
        );
      } finally {
        if (running.child.exitCode === null && running.child.signalCode === null)
          running.child.kill('SIGKILL');
      }
    });
  }
});
