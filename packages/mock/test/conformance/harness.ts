import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createMockCluster, type MockCluster, type MockClusterOptions } from '../../src/index.js';
import {
  type ProcessResult,
  type RunningProcess,
  type RunOptions,
  runProcess,
  startProcess,
} from '../kubectl.js';
import { waitFor } from '../waitFor.js';

// The shared helpers of the conformance suite: one emulated cluster per top-level describe, its
// kubeconfig on disk, and the real clients (kubectl, Debian's python3-kubernetes, Ruby's
// kubeclient) run as child processes the way their users run them.

/** Per-test timeout of the conformance files: real clients start slowly on a loaded machine. */
export const CONFORMANCE_TIMEOUT_MS = 180_000;
/** Options for every top-level `describe` of the suite: `describe('kubectl', SUITE, () => ...)`. */
export const SUITE = Object.freeze({ timeout: CONFORMANCE_TIMEOUT_MS });

/** Debian's interpreter, which has python3-kubernetes (the first `python3` on PATH may not). */
export const PYTHON = '/usr/bin/python3';
export const RUBY = 'ruby';

/** Loads the kubeconfig as a user of the official Python client would, and prints JSON lines. */
export const PYTHON_PRELUDE = `
import json, os, sys, time
from kubernetes import client, config, watch
from kubernetes.client.rest import ApiException
config.load_kube_config(os.environ['KUBECONFIG'])
def emit(value):
    print(json.dumps(value, default=str), flush=True)
`;

/** Loads the kubeconfig with Kubeclient::Config.read and builds clients for API groups. */
export const RUBY_PRELUDE = `
require 'json'
require 'kubeclient'
$stdout.sync = true
KUBE_CONTEXT = Kubeclient::Config.read(ENV.fetch('KUBECONFIG')).context
def kube_client(path = '', version = 'v1')
  Kubeclient::Client.new(KUBE_CONTEXT.api_endpoint + path, version,
    ssl_options: KUBE_CONTEXT.ssl_options, auth_options: KUBE_CONTEXT.auth_options)
end
def emit(value)
  puts JSON.generate(value)
end
`;

/** A child's stdout as JSON lines (lines that are not JSON are skipped). */
export function jsonLines<T = unknown>(stdout: string): T[] {
  const values: T[] = [];
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{') && !text.startsWith('[') && !text.startsWith('"')) continue;
    try {
      values.push(JSON.parse(text) as T);
    } catch {
      // A partial line (still being written) or a line of other output.
    }
  }
  return values;
}

/** Polls `check` every `intervalMs` until it returns a truthy value, for at most `timeoutMs`. */
export function pollUntil<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 60_000,
  intervalMs = 50,
): Promise<NonNullable<T>> {
  return waitFor(what, check, { timeoutMs, intervalMs });
}

function failed(what: string, result: ProcessResult): Error {
  return new Error(
    `${what} exited ${result.code ?? result.signal}\n--- stdout\n${result.stdout}\n--- stderr\n${result.stderr}`,
  );
}

/** An emulated cluster with an admin kubeconfig in its own directory, and the clients pointed at it. */
export interface ConformanceCluster {
  readonly cluster: MockCluster;
  /** A fresh directory, also the clients' HOME (kubectl's discovery cache lives under it). */
  readonly dir: string;
  /** The admin kubeconfig the emulator wrote. */
  readonly kubeconfig: string;
  /** The environment the clients run with: PATH, HOME and KUBECONFIG only. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Writes `text` to a new file in `dir` and returns its path. */
  file(name: string, text: string): Promise<string>;
  /** Runs kubectl (with KUBECONFIG set) whatever its exit code. */
  kubectl(args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
  /** Runs kubectl and fails, with its stderr, unless it exits 0; resolves with stdout. */
  kubectlOk(...args: string[]): Promise<string>;
  /** Starts a long-running kubectl (`get -w`, ...). */
  startKubectl(args: readonly string[]): RunningProcess;
  /** Runs a script (after {@link PYTHON_PRELUDE}) with Debian's python3, whatever its exit code. */
  python(script: string, options?: RunOptions): Promise<ProcessResult>;
  /** Runs a Python script, fails unless it exits 0, and returns the JSON lines it printed. */
  pythonJson<T = unknown>(script: string, options?: RunOptions): Promise<T[]>;
  /** Starts a long-running Python script (a watch). */
  startPython(script: string): Promise<RunningProcess>;
  /** Runs a script (after {@link RUBY_PRELUDE}) with ruby, whatever its exit code. */
  ruby(script: string, options?: RunOptions): Promise<ProcessResult>;
  /** Runs a Ruby script, fails unless it exits 0, and returns the JSON lines it printed. */
  rubyJson<T = unknown>(script: string, options?: RunOptions): Promise<T[]>;
  /** Starts a long-running Ruby script (a watch). */
  startRuby(script: string): Promise<RunningProcess>;
  /** Stops every process started here that still runs, the cluster, and removes `dir`. */
  close(): Promise<void>;
}

/** Starts an emulated cluster (TLS, fast probes unless told otherwise) for the conformance tests. */
export async function startConformanceCluster(options: MockClusterOptions = {}): Promise<ConformanceCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'kubesmart-conformance-'));
  let cluster: MockCluster;
  try {
    cluster = await createMockCluster({ probeIntervalMs: 50, ...options });
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const kubeconfig = await cluster.writeKubeconfig(join(dir, 'admin.kubeconfig'));
  const running = new Set<RunningProcess>();
  let files = 0;
  const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
    PATH: process.env.PATH,
    HOME: dir,
    KUBECONFIG: kubeconfig,
    ...extra,
  });
  const file = async (name: string, text: string) => {
    files += 1;
    const path = join(dir, `${files}-${name}`);
    await writeFile(path, text);
    return path;
  };
  const track = (process: RunningProcess) => {
    running.add(process);
    process.exited.then(
      () => running.delete(process),
      () => running.delete(process),
    );
    return process;
  };
  const script = (name: string, prelude: string, body: string) => file(name, `${prelude}\n${body}\n`);
  const runScript = async (command: string, name: string, prelude: string, body: string, o?: RunOptions) =>
    runProcess(command, [await script(name, prelude, body)], { env: env(), ...o });
  const json = async <T>(what: string, result: Promise<ProcessResult>): Promise<T[]> => {
    const done = await result;
    if (done.code !== 0) throw failed(what, done);
    return jsonLines<T>(done.stdout);
  };
  const ctx: ConformanceCluster = {
    cluster,
    dir,
    kubeconfig,
    env,
    file,
    kubectl: (args, o) => runProcess('kubectl', args, { env: env(), ...o }),
    async kubectlOk(...args) {
      const result = await ctx.kubectl(args);
      if (result.code !== 0) throw failed(`kubectl ${args.join(' ')}`, result);
      return result.stdout;
    },
    startKubectl: (args) => track(startProcess('kubectl', args, { env: env() })),
    python: (body, o) => runScript(PYTHON, 'script.py', PYTHON_PRELUDE, body, o),
    pythonJson: (body, o) => json('the Python script', ctx.python(body, o)),
    startPython: async (body) =>
      track(startProcess(PYTHON, [await script('script.py', PYTHON_PRELUDE, body)], { env: env() })),
    ruby: (body, o) => runScript(RUBY, 'script.rb', RUBY_PRELUDE, body, o),
    rubyJson: (body, o) => json('the Ruby script', ctx.ruby(body, o)),
    startRuby: async (body) =>
      track(startProcess(RUBY, [await script('script.rb', RUBY_PRELUDE, body)], { env: env() })),
    async close() {
      await Promise.allSettled([...running].map((process) => process.stop()));
      await cluster.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return ctx;
}

/**
 * One conformance cluster for the enclosing describe: started in beforeAll, closed in afterAll. The
 * returned object forwards to it once the tests run.
 */
export function useConformanceCluster(options: MockClusterOptions = {}): ConformanceCluster {
  let current: ConformanceCluster | undefined;
  beforeAll(async () => {
    current = await startConformanceCluster(options);
  }, CONFORMANCE_TIMEOUT_MS);
  afterAll(async () => {
    await current?.close();
  }, CONFORMANCE_TIMEOUT_MS);
  const started = (): ConformanceCluster => {
    if (!current) throw new Error('the conformance cluster is used before its beforeAll ran');
    return current;
  };
  return new Proxy({} as ConformanceCluster, {
    get: (_target, key) => {
      const value = started()[key as keyof ConformanceCluster];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
}
