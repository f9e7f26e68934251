import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockCluster, type MockCluster, type MockClusterOptions } from '../src/index.js';
import type { KubeObject } from '../src/types.js';
import { waitFor } from './waitFor.js';

// End-to-end: the real `kubectl` (a dispatcher that runs kubectl 1.27-1.33 matching the server's
// minor version) against the emulator over TLS with bearer tokens.

interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

const KUBECTL_MISSING =
  'kubectl is not installed or not on PATH: these end-to-end tests run the real kubectl ' +
  '(see TOOLCHAIN.md) and are never skipped';

let home: string;
let files = 0;

/** A fresh HOME per test file, so kubectl's discovery cache ($HOME/.kube/cache) never leaks in. */
const env = (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH, HOME: home });

function execKubectl(args: readonly string[]): Promise<KubectlResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      args,
      { env: env(), timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          const reason =
            error.code === 'ENOENT'
              ? KUBECTL_MISSING
              : `kubectl ${args.join(' ')} did not finish: ${error.message}`;
          reject(new Error(reason, { cause: error }));
          return;
        }
        resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

const kubectl = (kubeconfig: string, args: readonly string[]): Promise<KubectlResult> =>
  execKubectl(['--kubeconfig', kubeconfig, ...args]);

/** Writes `text` to a new file under the test HOME and returns its path. */
async function tempFile(name: string, text: string): Promise<string> {
  files += 1;
  const path = join(home, `${files}-${name}`);
  await writeFile(path, text);
  return path;
}

/** Rows of kubectl's table output, keyed by the upper-case column headers. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

interface KubectlCluster {
  cluster: MockCluster;
  kubeconfig: string;
  /** Runs kubectl as the admin user. */
  run(...args: string[]): Promise<KubectlResult>;
  /** Runs kubectl as the admin user and fails the test, with kubectl's stderr, unless it exits 0. */
  ok(...args: string[]): Promise<string>;
}

/** One emulated cluster for the enclosing describe, with an admin kubeconfig. */
function useCluster(options: MockClusterOptions = {}): KubectlCluster {
  const ctx = {
    run: (...args: string[]) => kubectl(ctx.kubeconfig, args),
    ok: async (...args: string[]) => {
      const result = await kubectl(ctx.kubeconfig, args);
      if (result.code !== 0) {
        throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      }
      return result.stdout;
    },
  } as KubectlCluster;
  beforeAll(async () => {
    ctx.cluster = await createMockCluster({ probeIntervalMs: 50, ...options });
    ctx.kubeconfig = await ctx.cluster.writeKubeconfig(join(home, `admin-${++files}.kubeconfig`));
  });
  afterAll(() => ctx.cluster?.close());
  return ctx;
}

interface PodView {
  name: string;
  phase: string;
  ready: boolean;
}

async function podsOf(k: KubectlCluster, selector: string, namespace = 'default'): Promise<PodView[]> {
  const list = JSON.parse(await k.ok('get', 'pods', '-n', namespace, '-l', selector, '-o', 'json')) as {
    items: KubeObject[];
  };
  return list.items.map((pod) => {
    const status = pod.status as { phase: string; conditions?: { type: string; status: string }[] };
    return {
      name: pod.metadata.name ?? '',
      phase: status.phase,
      ready: status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    };
  });
}

/** Waits until exactly `count` pods match, all Running and Ready. */
function readyPods(
  k: KubectlCluster,
  selector: string,
  count: number,
  namespace = 'default',
): Promise<PodView[]> {
  return waitFor(
    `${count} running and ready pods with ${selector}`,
    async () => {
      const pods = await podsOf(k, selector, namespace);
      return pods.length === count && pods.every((p) => p.phase === 'Running' && p.ready) ? pods : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
}

/** The containers of a Deployment's pod template. */
function containersOf(deployment: KubeObject | undefined): Record<string, unknown>[] {
  if (!deployment) throw new Error('the Deployment does not exist');
  return (deployment.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template.spec
    .containers;
}

const clientMinor = async (k: KubectlCluster): Promise<string> =>
  (JSON.parse(await k.ok('version', '-o', 'json')) as { clientVersion: { minor: string } }).clientVersion
    .minor;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'kubesmart-kubectl-'));
  const probe = await execKubectl(['version', '--client']);
  if (probe.code !== 0) throw new Error(`${KUBECTL_MISSING}: kubectl version --client said ${probe.stderr}`);
});
afterAll(() => rm(home, { recursive: true, force: true }));

describe('reading', () => {
  const k = useCluster({
    objects: `
apiVersion: v1
kind: Namespace
metadata: { name: x }
---
apiVersion: v1
kind: Namespace
metadata: { name: y }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: x, labels: { app: shop } }
data: { mode: fast, retries: "3" }
---
apiVersion: v1
kind: Pod
metadata: { name: alpha, namespace: default }
spec: { containers: [{ name: app, image: app:1 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: beta, namespace: y }
spec: { containers: [{ name: app, image: app:1 }] }
`,
  });

  it('picks kubectl 1.33 from /version, which get --raw returns as the server reports it', async () => {
    const version = JSON.parse(await k.ok('get', '--raw', '/version')) as Record<string, string>;
    expect(version).toMatchObject({ major: '1', minor: '33', gitVersion: 'v1.33.0' });
    expect(await clientMinor(k)).toBe('33');
  });

  it('lists namespaces', async () => {
    const rows = table(await k.ok('get', 'ns'));
    expect(rows.map((r) => r.NAME)).toEqual(expect.arrayContaining(['default', 'kube-system', 'x', 'y']));
    expect(rows.find((r) => r.NAME === 'x')?.STATUS).toBe('Active');
  });

  it('lists pods of every namespace', async () => {
    await waitFor(
      'both pods running',
      () => k.cluster.pods.status().filter((p) => p.phase === 'Running').length === 2,
    );
    const rows = table(await k.ok('get', 'pods', '-A'));
    expect(rows.map((r) => `${r.NAMESPACE}/${r.NAME}`).sort()).toEqual(['default/alpha', 'y/beta']);
    expect(rows.every((r) => r.STATUS === 'Running' && r.READY === '1/1')).toBe(true);
  });

  it('prints ConfigMaps of a namespace as JSON', async () => {
    const list = JSON.parse(await k.ok('get', 'cm', '-n', 'x', '-o', 'json')) as {
      kind: string;
      items: KubeObject[];
    };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(1);
    const [cm] = list.items;
    expect(cm).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'x', labels: { app: 'shop' } },
      data: { mode: 'fast', retries: '3' },
    });
    expect(cm?.metadata.uid).toBeTruthy();
    expect(Number(cm?.metadata.resourceVersion)).toBeGreaterThan(0);
  });

  it('get -w prints an object created while it watches, and stops when killed', async () => {
    await k.ok('create', 'namespace', 'watched');
    const watcher = spawn(
      'kubectl',
      ['--kubeconfig', k.kubeconfig, 'get', 'cm', '-n', 'watched', '-w', '-v=6'],
      {
        env: env(),
      },
    );
    const exited = once(watcher, 'exit');
    try {
      const out = collect(watcher);
      // With -v=6 kubectl logs each response; this line means its watch request got its 200.
      await waitFor('kubectl to start watching', () =>
        /url="[^"]*watch=true[^"]*" status="200 OK"/.test(out.stderr),
      );
      await k.cluster.apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'late', namespace: 'watched' },
      });
      const rows = await waitFor('the new object in the watch output', () => {
        const parsed = table(out.stdout);
        return parsed.some((r) => r.NAME === 'late') ? parsed : undefined;
      });
      expect(rows.find((r) => r.NAME === 'late')).toMatchObject({ NAME: 'late', DATA: '0' });
      expect(watcher.exitCode).toBeNull();
    } finally {
      watcher.kill('SIGTERM');
      await exited;
    }
    await waitFor(
      'the server to see the watch end',
      () => k.cluster.faults.dropWatches({ resource: 'configmaps', namespace: 'watched' }) === 0,
    );
  });
});

function collect(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out.stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    out.stderr += chunk;
  });
  return out;
}

describe('generators and workloads (kubectl 1.33, protobuf bodies)', () => {
  const k = useCluster();

  it('create namespace, configmap and secret generic', async () => {
    expect(await clientMinor(k)).toBe('33');
    expect(await k.ok('create', 'namespace', 'gen')).toBe('namespace/gen created\n');
    expect(k.cluster.get('namespaces', 'gen')).toBeDefined();

    const cm = await k.run(
      'create',
      'configmap',
      'settings',
      '-n',
      'gen',
      '--from-literal=a=1',
      '--from-literal=b=two',
      '-v=8',
    );
    expect(cm.code).toBe(0);
    expect(cm.stdout).toBe('configmap/settings created\n');
    expect(cm.stderr).toMatch(/Content-Type: application\/vnd\.kubernetes\.protobuf/);
    expect(k.cluster.get('configmaps', 'settings', 'gen')?.data).toEqual({ a: '1', b: 'two' });

    expect(
      await k.ok('create', 'secret', 'generic', 'creds', '-n', 'gen', '--from-literal=password=hunter2'),
    ).toBe('secret/creds created\n');
    const secret = JSON.parse(await k.ok('get', 'secret', 'creds', '-n', 'gen', '-o', 'json')) as KubeObject;
    expect(secret.type).toBe('Opaque');
    expect(secret.data).toEqual({ password: Buffer.from('hunter2').toString('base64') });
  });

  it('create deployment runs ready pods; wait and rollout status see it available', async () => {
    expect(await k.ok('create', 'deployment', 'web', '--image=x', '--port=8080', '--replicas=2')).toBe(
      'deployment.apps/web created\n',
    );
    const pods = await readyPods(k, 'app=web', 2);
    expect(pods.every((p) => /^web-[a-z0-9]+-[a-z0-9]{5}$/.test(p.name))).toBe(true);

    expect(await k.ok('wait', '--for=condition=Available', 'deploy/web', '--timeout=20s')).toBe(
      'deployment.apps/web condition met\n',
    );
    expect(await k.ok('rollout', 'status', 'deploy/web', '--timeout=20s')).toContain(
      'deployment "web" successfully rolled out',
    );
    const [row] = table(await k.ok('get', 'deploy', 'web'));
    expect(row).toMatchObject({ NAME: 'web', READY: '2/2', 'UP-TO-DATE': '2', AVAILABLE: '2' });
  });

  it('scale adds and removes pods; scaling up keeps the pods that run', async () => {
    const before = (await readyPods(k, 'app=web', 2)).map((p) => p.name);
    expect(await k.ok('scale', 'deploy/web', '--replicas=3')).toBe('deployment.apps/web scaled\n');
    const scaledUp = (await readyPods(k, 'app=web', 3)).map((p) => p.name);
    expect(scaledUp).toEqual(expect.arrayContaining(before));

    expect(await k.ok('scale', 'deploy/web', '--replicas=1')).toBe('deployment.apps/web scaled\n');
    const [survivor] = await readyPods(k, 'app=web', 1);
    expect(scaledUp).toContain(survivor?.name);
    await k.ok('rollout', 'status', 'deploy/web', '--timeout=20s');
  });

  it('delete deploy removes its ReplicaSets and pods', async () => {
    expect(await k.ok('delete', 'deploy', 'web')).toBe('deployment.apps "web" deleted\n');
    await waitFor(
      'pods and ReplicaSets garbage-collected',
      async () =>
        (await podsOf(k, 'app=web')).length === 0 && k.cluster.list('replicasets', 'default').length === 0,
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    const gone = await k.run('get', 'deploy', 'web');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('Error from server (NotFound): deployments.apps "web" not found');
  });
});

describe('generators against a server reporting 1.31 (JSON bodies)', () => {
  const k = useCluster({ version: { major: '1', minor: '31', gitVersion: 'v1.31.0' } });

  it('create configmap and secret generic send JSON and are stored', async () => {
    expect(await clientMinor(k)).toBe('31');
    const cm = await k.run('create', 'configmap', 'legacy', '--from-literal=a=1', '-v=8');
    expect(cm.code).toBe(0);
    expect(cm.stdout).toBe('configmap/legacy created\n');
    expect(cm.stderr).toMatch(/Content-Type: application\/json/);
    expect(cm.stderr).not.toMatch(/vnd\.kubernetes\.protobuf/);
    expect(k.cluster.get('configmaps', 'legacy')?.data).toEqual({ a: '1' });

    await k.ok('create', 'secret', 'generic', 'legacy', '--from-literal=token=abc');
    expect(k.cluster.get('secrets', 'legacy')?.data).toEqual({
      token: Buffer.from('abc').toString('base64'),
    });
  });
});

describe('apply, patch, label, annotate and delete', () => {
  const k = useCluster();

  const manifest = (cm: string, env: string, image: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: app }
data: ${cm}
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: app }
spec:
  replicas: 1
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
        - name: app
          image: ${image}
          env: ${env}
`;

  it('apply -f creates, then re-applying a changed file three-way merges through last-applied', async () => {
    const first = await tempFile(
      'app.yaml',
      manifest(
        '{ a: "1", b: "2" }',
        '[{ name: A, value: "1" }, { name: B, value: "2" }, { name: C, value: "3" }]',
        'app:1',
      ),
    );
    expect(await k.ok('apply', '-f', first)).toBe('configmap/app created\ndeployment.apps/app created\n');
    // A change made outside the file survives re-applying it: it is in neither last-applied nor the file.
    await k.ok('label', 'cm', 'app', 'owner=ops');

    const second = await tempFile(
      'app.yaml',
      manifest('{ a: "1", c: "3" }', '[{ name: A, value: "1" }, { name: B, value: "two" }]', 'app:2'),
    );
    expect(await k.ok('apply', '-f', second)).toBe(
      'configmap/app configured\ndeployment.apps/app configured\n',
    );

    const cm = k.cluster.get('configmaps', 'app');
    expect(cm?.data).toEqual({ a: '1', c: '3' });
    expect(cm?.metadata.labels).toEqual({ owner: 'ops' });
    const lastApplied = JSON.parse(
      cm?.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '{}',
    ) as KubeObject;
    expect(lastApplied.data).toEqual({ a: '1', c: '3' });

    const [container] = containersOf(k.cluster.get('deployments', 'app'));
    expect(container).toMatchObject({
      name: 'app',
      image: 'app:2',
      env: [
        { name: 'A', value: '1' },
        { name: 'B', value: 'two' },
      ],
    });
    expect(await k.ok('apply', '-f', second)).toBe(
      'configmap/app unchanged\ndeployment.apps/app unchanged\n',
    );
  });

  it('apply --server-side creates and merges, recording kubectl as the field manager', async () => {
    const doc = (data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: ssa }\ndata: ${data}\n`;
    expect(await k.ok('apply', '--server-side', '-f', await tempFile('ssa.yaml', doc('{ a: "1" }')))).toBe(
      'configmap/ssa serverside-applied\n',
    );
    await k.ok('apply', '--server-side', '-f', await tempFile('ssa.yaml', doc('{ a: "1", b: "2" }')));
    const cm = k.cluster.get('configmaps', 'ssa');
    expect(cm?.data).toEqual({ a: '1', b: '2' });
    expect(cm?.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'kubectl',
        operation: 'Apply',
        fieldsV1: { 'f:data': { 'f:a': {}, 'f:b': {} } },
      }),
    ]);
  });

  it('patch --type=json, merge and strategic', async () => {
    await k.ok('create', 'configmap', 'patched', '--from-literal=a=1', '--from-literal=b=2');
    expect(
      await k.ok(
        'patch',
        'cm',
        'patched',
        '--type=json',
        '-p',
        '[{"op":"replace","path":"/data/a","value":"10"}]',
      ),
    ).toBe('configmap/patched patched\n');
    await k.ok('patch', 'cm', 'patched', '--type=merge', '-p', '{"data":{"b":null,"c":"3"}}');
    expect(k.cluster.get('configmaps', 'patched')?.data).toEqual({ a: '10', c: '3' });

    // Strategic: containers merge by name, so the env the patch leaves out is kept.
    await k.ok(
      'patch',
      'deploy',
      'app',
      '--type=strategic',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:3"}]}}}}',
    );
    expect(containersOf(k.cluster.get('deployments', 'app'))).toEqual([
      expect.objectContaining({
        name: 'app',
        image: 'app:3',
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'two' },
        ],
      }),
    ]);

    const bad = await k.run(
      'patch',
      'cm',
      'patched',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/data/nope"}]',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('remove operation does not apply: doc is missing path: /data/nope');
  });

  it('label, label --overwrite and annotate', async () => {
    await k.ok('create', 'configmap', 'tagged');
    expect(await k.ok('label', 'cm', 'tagged', 'tier=web')).toBe('configmap/tagged labeled\n');
    const refused = await k.run('label', 'cm', 'tagged', 'tier=db');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("'tier' already has a value (web), and --overwrite is false");
    expect(await k.ok('label', 'cm', 'tagged', 'tier=db', '--overwrite')).toBe('configmap/tagged labeled\n');
    expect(await k.ok('annotate', 'cm', 'tagged', 'note=hello world')).toBe('configmap/tagged annotated\n');
    const cm = k.cluster.get('configmaps', 'tagged');
    expect(cm?.metadata.labels).toEqual({ tier: 'db' });
    expect(cm?.metadata.annotations).toEqual({ note: 'hello world' });
    expect(await k.ok('label', 'cm', 'tagged', 'tier-')).toBe('configmap/tagged unlabeled\n');
    expect(k.cluster.get('configmaps', 'tagged')?.metadata.labels ?? {}).toEqual({});
  });

  it('delete cm', async () => {
    await k.ok('create', 'configmap', 'doomed');
    expect(await k.ok('delete', 'cm', 'doomed')).toBe('configmap "doomed" deleted\n');
    expect(k.cluster.get('configmaps', 'doomed')).toBeUndefined();
  });
});

describe('logs', () => {
  const k = useCluster({
    objects: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'logger', namespace: 'default' },
      spec: {
        containers: [
          { name: 'app', image: 'app:1' },
          { name: 'sidecar', image: 'proxy:1' },
        ],
      },
    },
  });

  it('prints the lines appended to a container log', async () => {
    await waitFor(
      'the pod to run',
      () => k.cluster.pods.status().find((p) => p.name === 'logger')?.phase === 'Running',
    );
    k.cluster.pods.appendLog('logger', 'starting\nlistening on :8080');
    k.cluster.pods.appendLog('logger', 'ready');
    k.cluster.pods.appendLog('logger', 'proxy up', { container: 'sidecar' });

    expect(await k.ok('logs', 'logger')).toBe('starting\nlistening on :8080\nready\n');
    expect(await k.ok('logs', 'logger', '--tail=1')).toBe('ready\n');
    expect(await k.ok('logs', 'logger', '-c', 'sidecar')).toBe('proxy up\n');
    expect(await k.ok('logs', 'logger', '--timestamps')).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z starting\n/);
  });
});

describe('errors as kubectl prints them', () => {
  const k = useCluster();

  it('NotFound', async () => {
    const result = await k.run('get', 'cm', 'x');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('Error from server (NotFound): configmaps "x" not found\n');
  });

  it('AlreadyExists, from a generator and from create -f', async () => {
    await k.ok('create', 'configmap', 'dup');
    const again = await k.run('create', 'configmap', 'dup');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('error: failed to create configmap: configmaps "dup" already exists\n');

    const file = await tempFile('dup.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: dup }\n');
    const fromFile = await k.run('create', '-f', file);
    expect(fromFile.code).toBe(1);
    expect(fromFile.stderr).toBe(
      `Error from server (AlreadyExists): error when creating "${file}": configmaps "dup" already exists\n`,
    );
  });

  it('Invalid name (422)', async () => {
    const result = await k.run('create', 'configmap', 'Bad_Name', '--from-literal=a=1', '-v=6');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/422 Unprocessable Entity/);
    expect(result.stderr).toContain(
      'error: failed to create configmap: ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ' +
        'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters',
    );
    expect(k.cluster.get('configmaps', 'Bad_Name')).toBeUndefined();
  });

  it('Forbidden for a user whose rules lack the verb', async () => {
    k.cluster.access.addUser({
      name: 'viewer',
      token: 'viewer-token',
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
    });
    const kubeconfig = await k.cluster.writeKubeconfig(join(home, 'viewer.kubeconfig'), { user: 'viewer' });
    await k.ok('create', 'configmap', 'guarded');

    const read = await kubectl(kubeconfig, ['get', 'cm', 'guarded', '-o', 'name']);
    expect(read).toMatchObject({ code: 0, stdout: 'configmap/guarded\n' });
    const denied = await kubectl(kubeconfig, ['delete', 'cm', 'guarded']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe(
      'Error from server (Forbidden): configmaps "guarded" is forbidden: User "viewer" cannot delete resource ' +
        '"configmaps" in API group "" in the namespace "default"\n',
    );
    expect(k.cluster.get('configmaps', 'guarded')).toBeDefined();
  });

  it('Unauthorized for a token the server does not know', async () => {
    k.cluster.access.addUser({ name: 'leaver', token: 'leaver-token', rules: [] });
    const kubeconfig = await k.cluster.writeKubeconfig(join(home, 'leaver.kubeconfig'), { user: 'leaver' });
    k.cluster.access.removeUser('leaver');
    const result = await kubectl(kubeconfig, ['get', 'cm']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: You must be logged in to the server (Unauthorized)');
  });

  it('an unreachable server (closed port)', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const kubeconfig = await tempFile(
      'closed.kubeconfig',
      k.cluster.kubeconfigYaml().replace(k.cluster.url, `https://127.0.0.1:${port}`),
    );
    const result = await kubectl(kubeconfig, ['get', 'cm']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `The connection to the server 127.0.0.1:${port} was refused - did you specify the right host or port?`,
    );
  });
});
