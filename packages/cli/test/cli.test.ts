import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockCluster, type KubeObject, type MockCluster } from '@kubesmart/mock';
import { waitFor } from '@kubesmart/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CLI runs as a real child process (tsx, sources) against the emulator, with --kubeconfig. One test
// at a time: each spawns several processes, and run together they would crowd a small machine (a test
// waiting on twenty starting Node processes can run out of time on two loaded cores).

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function kubesmart(args: string[], stdin?: string): Promise<Result> {
  return spawnResult(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, ...args], stdin);
}

function spawnResult(command: string, args: string[], stdin?: string, cwd?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
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
    child.stdin.end(stdin ?? '');
  });
}

/** Table rows keyed by upper-case headers. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

let cluster: MockCluster;
let home: string;
let kubeconfig: string;
const run = (...args: string[]): Promise<Result> => kubesmart(['--kubeconfig', kubeconfig, ...args]);

const pod = (name: string, labels: Record<string, string>, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  spec: { containers: [{ name: 'main', image: `hooli/${name}:1.0` }] },
});

const phase = (name: string, ns = 'default'): string | undefined =>
  (cluster.get('pods', name, ns)?.status as { phase?: string } | undefined)?.phase;

const running = (selector: string): KubeObject[] =>
  cluster
    .list('pods', 'default', { labelSelector: selector })
    .filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
  home = await mkdtemp(join(tmpdir(), 'kubesmart-cli-'));
  kubeconfig = await cluster.writeKubeconfig(join(home, 'kubeconfig'));
  await cluster.apply([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }]);
  await cluster.apply(`
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, namespace: default }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec: { containers: [{ name: api, image: hooli/api:1.0, ports: [{ name: http, containerPort: 8080 }] }] }
---
apiVersion: v1
kind: Service
metadata: { name: api, namespace: default }
spec:
  selector: { app: api }
  ports: [{ name: http, port: 80, targetPort: http }]
`);
  await cluster.apply([
    pod('web-1', { app: 'web' }),
    pod('web-2', { app: 'web' }),
    pod('crash', { app: 'worker' }),
    pod('pull', { app: 'worker' }),
    pod('cart-1', { app: 'cart' }, 'shop'),
  ]);
  await waitFor(
    'pods running',
    () =>
      ['web-1', 'web-2', 'crash', 'pull'].every((n) => phase(n) === 'Running') &&
      phase('cart-1', 'shop') === 'Running',
  );
  await waitFor('api pods running', () => running('app=api').length === 2);
  for (const api of running('app=api'))
    cluster.pods.appendLog(api.metadata.name ?? '', `${api.metadata.name} listening`);
  cluster.pods.appendLog('crash', 'starting\nError: connect ECONNREFUSED 10.0.0.12:5432');
  await cluster.pods.setContainerState('crash', 'CrashLoopBackOff');
  await cluster.pods.setContainerState('pull', 'ImagePullBackOff');
});

afterAll(async () => {
  await cluster.close();
  await rm(home, { recursive: true, force: true });
});

describe('kubesmart get', () => {
  it('get pods --broken -n default lists only the broken pods', async () => {
    const result = await run('get', 'pods', '--broken', '-n', 'default');
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(table(result.stdout).map((r) => [r.NAME, r.STATUS])).toEqual([
      ['crash', 'CrashLoopBackOff'],
      ['pull', 'ImagePullBackOff'],
    ]);
    expect(result.stdout.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
  });

  it('--running and --pending filter on the phase; --explain shows the plan on stderr', async () => {
    const running = await run('get', 'pods', '--running', '--explain', '-l', 'app=web');
    expect(table(running.stdout).map((r) => r.NAME)).toEqual(['web-1', 'web-2']);
    expect(running.stderr).toContain(
      'server-side: label selector app=web; field selector status.phase=Running',
    );
    expect(running.stderr).toContain('local: running()');
    expect(table((await run('get', 'pods', '--pending')).stdout).map((r) => r.NAME)).toEqual(['pull']);
  });

  it('-l, -A and the output formats', async () => {
    expect((await run('get', 'po', '-l', 'app=web', '-o', 'name')).stdout).toBe('pod/web-1\npod/web-2\n');
    const all = table((await run('get', 'pods', '-A', '-l', 'app in (web,cart)')).stdout);
    expect(all.map((r) => `${r.NAMESPACE}/${r.NAME}`)).toEqual([
      'default/web-1',
      'default/web-2',
      'shop/cart-1',
    ]);
    const wide = table((await run('get', 'pods', 'web-1', '-o', 'wide')).stdout);
    expect(wide[0]).toMatchObject({ NAME: 'web-1', STATUS: 'Running', IMAGE: 'hooli/web-1:1.0' });
    expect(wide[0]?.IP).toMatch(/^127\./);
    const json = JSON.parse((await run('get', 'pods', '-n', 'shop', '-o', 'json')).stdout) as {
      kind: string;
      items: KubeObject[];
    };
    expect(json.kind).toBe('List');
    expect(json.items.map((p) => p.metadata.name)).toEqual(['cart-1']);
    expect(table((await run('get', 'nodes')).stdout)[0]?.STATUS).toBe('Ready');
  });

  it('says when nothing matched, and refuses bad arguments with exit code 2', async () => {
    expect(await run('get', 'pods', '-l', 'app=nothing')).toMatchObject({
      code: 0,
      stdout: '',
      stderr: 'No resources found in default namespace.\n',
    });
    const bad = await run('get', 'gizmos');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown resource type "gizmos"');
    expect((await run('get', 'services', '--broken')).stderr).toContain('--broken applies to pods only');
    expect((await run('get', 'pods', '--frobnicate')).code).toBe(2);
  });
});

describe('kubesmart explain and logs', () => {
  it('explain pod/NAME prints the diagnosis with evidence and a fix', async () => {
    const result = await run('explain', 'pod/crash');
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('pod default/crash: CrashLoopBackOff');
    expect(result.stdout).toContain(
      '1. CrashLoopBackOff (container main): container main keeps exiting (exit code 1)',
    );
    expect(result.stdout).toContain('event Warning BackOff');
    expect(result.stdout).toMatch(/fix: Read the logs of the last run/);
    const json = JSON.parse((await run('explain', 'pod', 'pull', '-o', 'json')).stdout) as { reason: string };
    expect(json.reason).toBe('ImagePullBackOff');
  });

  it('explain of a missing pod fails with exit code 1 and says what was searched', async () => {
    const result = await run('explain', 'pod/ghost');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error [QUERY_NOT_FOUND]: No pods matched: searched pods in namespace default named ghost',
    );
  });

  it('logs POD with --tail and --since', async () => {
    expect(await run('logs', 'crash')).toMatchObject({
      code: 0,
      stdout: 'starting\nError: connect ECONNREFUSED 10.0.0.12:5432\n',
    });
    expect((await run('logs', 'pod/crash', '--tail', '1', '--since', '1h')).stdout).toBe(
      'Error: connect ECONNREFUSED 10.0.0.12:5432\n',
    );
    expect((await run('logs', 'crash', '--since', 'soon')).code).toBe(2);
  });

  it('prints help and fails on an unknown command', async () => {
    const help = await kubesmart(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('kubesmart get KIND');
    expect(help.stdout).toContain('console');
    expect((await kubesmart(['frob'])).code).toBe(2);
  });

  it('fails with KUBE_API_UNAVAILABLE when no kubeconfig can be loaded', async () => {
    const result = await kubesmart(['--kubeconfig', join(home, 'missing'), 'get', 'pods']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'error [KUBE_API_UNAVAILABLE]: Could not load the Kubernetes configuration',
    );
  });
});

describe('kubesmart console', () => {
  it('runs piped lines in order with q and ks preloaded, tables for results, top-level await', async () => {
    const script = [
      'const bad = await q.pods().inNamespace("default").broken().all()',
      'bad',
      'bad.map((p) => p.name).join(",")',
      '(await bad[0].explainError()).reason',
      'ks.namespace',
      'q.pods().running()',
    ].join('\n');
    const result = await kubesmart(['--kubeconfig', kubeconfig, 'console'], `${script}\n`);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kubesmart console, namespace default');
    expect(result.stdout).toMatch(/NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS/);
    expect(result.stdout).toContain("'crash,pull'");
    expect(result.stdout).toContain("'CrashLoopBackOff'");
    expect(result.stdout).toContain("kubesmart> 'default'");
    expect(result.stdout).toContain('<query: pods with fields status.phase=Running where running()>');
  });

  it('--mock starts an embedded cluster with broken sample pods', async () => {
    const result = await kubesmart(['--mock', 'get', 'pods', '--broken', '-o', 'name']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'pod/batch-oom',
      'pod/big-job',
      'pod/image-typo',
      expect.stringMatching(/^pod\/payments-/),
    ]);
  });
});

describe('kubesmart kv and configmap', () => {
  it('sets, gets, lists and deletes keys; --if-version is compare-and-set', async () => {
    expect((await run('kv', 'set', 'flags', 'checkout', 'on')).code).toBe(0);
    const set = await run('kv', 'set', 'flags', 'search', 'off');
    // A version is the bucket object's resourceVersion: the last write's.
    const version = /version (\d+)/.exec(set.stdout)?.[1];
    expect(version).toBeTruthy();

    const got = await run('kv', 'get', 'flags', 'checkout');
    expect(got).toMatchObject({ code: 0, stdout: 'on\n' });
    expect(got.stderr).toContain(`version ${version}`);

    const list = await run('kv', 'list', 'flags', '-o', 'json');
    expect(JSON.parse(list.stdout)).toEqual({ checkout: 'on', search: 'off' });

    const stale = await run('kv', 'set', 'flags', 'checkout', 'off', '--if-version', '1');
    expect(stale.code).toBe(1);
    expect(stale.stderr).toContain('KV_CONFLICT');
    expect((await run('kv', 'get', 'flags', 'checkout')).stdout).toBe('on\n');
    expect((await run('kv', 'set', 'flags', 'checkout', 'off', '--if-version', version!)).code).toBe(0);

    expect((await run('kv', 'delete', 'flags', 'search')).stdout).toBe('flags/search deleted\n');
    expect(await run('kv', 'get', 'flags', 'search')).toMatchObject({ code: 1 });
  });

  it('refuses an invalid key with its error code and writes nothing', async () => {
    const bad = await run('kv', 'set', 'flags2', 'no spaces', 'x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('KV_KEY_INVALID');
    expect(cluster.get('configmaps', 'flags2', 'default')).toBeUndefined();
  });

  it('keeps a key named __proto__ in kv set and list and in configmap create', async () => {
    expect((await run('kv', 'set', 'protos', '__proto__', 'p')).code).toBe(0);
    expect((await run('kv', 'set', 'protos', 'other', 'o')).code).toBe(0);
    const list = await run('kv', 'list', 'protos', '-o', 'json');
    expect(Object.keys(JSON.parse(list.stdout)).sort()).toEqual(['__proto__', 'other']);
    expect(await run('kv', 'get', 'protos', '__proto__')).toMatchObject({ stdout: 'p\n' });
    await run('configmap', 'create', 'proto-cm', '--data', '__proto__=x;a=b');
    expect(Object.keys(cluster.get('configmaps', 'proto-cm', 'default')?.data ?? {}).sort()).toEqual([
      '__proto__',
      'a',
    ]);
  });

  it('creates, reads and deletes a ConfigMap like the k8skv command line', async () => {
    const created = await run('configmap', 'create', 'kv-cm', '--data', 'key1=value1;key2=value2');
    expect(created.stdout).toBe('ConfigMap kv-cm created in namespace default\n');
    const got = await run('configmap', 'get', 'kv-cm');
    expect(got.stdout).toBe('ConfigMap kv-cm in namespace default: {"key1":"value1","key2":"value2"}\n');
    expect((await run('configmap', 'delete', 'kv-cm')).stdout).toBe(
      'ConfigMap kv-cm deleted from namespace default\n',
    );
    const missing = await run('configmap', 'get', 'kv-cm');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
  });
});

/** A port nothing listens on: bound, read and closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('kubesmart rough edges', () => {
  it('runs through `pnpm --filter kubesmart start -- ARGS` (the separator is dropped)', async () => {
    const result = await spawnResult(
      'pnpm',
      ['--silent', '--filter', 'kubesmart', 'start', '--', '--mock', 'get', 'pods', '--broken', '-o', 'name'],
      undefined,
      REPO,
    );
    expect(result.stderr).not.toContain('unknown resource type');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pod/image-typo');
  });

  it('--mock gives the same pod names on every run', async () => {
    const first = await kubesmart(['--mock', 'get', 'pods', '-o', 'name']);
    const second = await kubesmart(['--mock', 'get', 'pods', '-o', 'name']);
    expect(first.code).toBe(0);
    expect(first.stdout.split('\n').filter((line) => /^pod\/(web|payments)-/.test(line))).toHaveLength(4);
    expect(second.stdout).toBe(first.stdout);
    const payments = /pod\/(payments-\S+)/.exec(first.stdout)?.[1] ?? '';
    expect((await kubesmart(['--mock', 'logs', payments])).stdout).toContain('ECONNREFUSED 10.0.0.12:5432');
  });

  it('logs deploy/NAME, rs/NAME and svc/NAME read one pod of the workload, saying which', async () => {
    const pods = running('app=api').map((p) => p.metadata.name ?? '');
    const replicaSet = cluster.list('replicasets', 'default')[0]?.metadata.name ?? '';
    for (const ref of ['deploy/api', `rs/${replicaSet}`, 'svc/api']) {
      const result = await run('logs', ref);
      expect(result.code, `${ref}: ${result.stderr}`).toBe(0);
      const used = /^Found 2 pods, using pod\/(\S+)\n$/.exec(result.stderr)?.[1] ?? '';
      expect(pods).toContain(used);
      expect(result.stdout).toBe(`${used} listening\n`);
    }
    const single = await run('logs', 'deploy/api', '--tail', '1');
    expect(single.stdout).toMatch(/^api-\S+ listening\n$/);
    const refused = await run('logs', 'cm/api');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('logs reads pods, or one pod of deployments, replicasets or services');
    const missing = await run('logs', 'deploy/ghost');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('QUERY_NOT_FOUND');
  });

  it('the piped console goes on after a line fails', async () => {
    const result = await kubesmart(['--kubeconfig', kubeconfig, 'console'], '1+1\nnoSuchVar\n2+2\n');
    expect(result.code).toBe(0);
    const after = result.stdout.slice(result.stdout.indexOf('kubesmart> '));
    expect(after).toMatch(/kubesmart> 2\n/);
    expect(after).toContain('ReferenceError: noSuchVar is not defined');
    expect(after.indexOf('kubesmart> 4\n')).toBeGreaterThan(after.indexOf('noSuchVar is not defined'));
  });

  it('kv get and kv list fail like get on a server that is down: KUBE_API_UNAVAILABLE, no sync wait', async () => {
    const dead = join(home, 'dead-kubeconfig');
    const port = await closedPort();
    await writeFile(
      dead,
      `apiVersion: v1
kind: Config
clusters: [{ name: dead, cluster: { server: "http://127.0.0.1:${port}", insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: dead, context: { cluster: dead, user: u } }]
current-context: dead
`,
    );
    const results = await Promise.all(
      [
        ['get', 'pods'],
        ['kv', 'get', 'flags', 'a'],
        ['kv', 'list', 'flags'],
      ].map((args) => kubesmart(['--kubeconfig', dead, ...args])),
    );
    for (const result of results) {
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^error \\[KUBE_API_UNAVAILABLE\\]: the Kubernetes API at http://127.0.0.1:${port} could not be reached`,
        ),
      );
    }
  });

  it('unknown and malformed options get our own message and the usage', async () => {
    const unknown = await run('get', 'pods', '--frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(
      `error: kubesmart get has no option --frobnicate\n\nUsage:\n  kubesmart ${'get KIND [NAME...] [-n NS | -A] [-l SELECTOR] [--broken | --running | --pending] [-o wide|json|name] [--explain]'}\n`,
    );
    const global = await kubesmart(['--frob']);
    expect(global.code).toBe(2);
    expect(global.stderr).toMatch(/^error: kubesmart has no option --frob\n\nUsage: kubesmart COMMAND/);
    expect((await run('get', 'pods', '-l')).stderr).toMatch(/^error: -l \(--selector\) needs a value\n/);
    expect((await run('get', 'pods', '--broken=yes')).stderr).toMatch(
      /^error: --broken takes no value; write --broken alone\n/,
    );
    const kv = await run('kv', 'list', 'flags', '--consistent');
    expect(kv.stderr).toContain('error: kubesmart kv has no option --consistent');
    expect(kv.stderr).toContain('  kubesmart kv set BUCKET KEY VALUE');
    for (const result of [unknown, global, kv])
      expect(result.stderr).not.toContain('To specify a positional');
  });

  it('a port the Service and its pods lack is named as such, with the ports there are', async () => {
    const script =
      "await ks.service('api', { port: 9999 }).fetch('/').catch((e) => e.code + ': ' + e.message)";
    const result = await kubesmart(['--kubeconfig', kubeconfig, 'console'], `${script}\n`);
    expect(result.stdout).toContain(
      'INVALID_ARGUMENT: Service "api" in namespace "default" has no port 9999; its ports are http (80) (its pods serve 8080). Pass one of them as `port`.',
    );
    expect(result.stdout).not.toContain('no ready endpoints');
  });
});
