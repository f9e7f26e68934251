import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CoreV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { runProcess, startProcess } from '../kubectl.js';
import { pollUntil, SUITE, useConformanceCluster } from './harness.js';

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

  describe('rollouts and events', () => {
    const k = useConformanceCluster({
      objects: `
apiVersion: apps/v1
kind: Deployment
metadata: { name: probed, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: probed } }
  template:
    metadata: { labels: { app: probed } }
    spec:
      containers:
        - name: web
          image: shop/web:1.0
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /healthz, port: http }, periodSeconds: 1 }
`,
    });

    const imageOf = async (name: string): Promise<string> =>
      k.kubectlOk('get', 'deploy', name, '-o', 'jsonpath={.spec.template.spec.containers[0].image}');
    /** The REVISION / CHANGE-CAUSE rows of `rollout history`, below its `deployment.apps/NAME` line. */
    const history = async (name: string) =>
      table((await k.kubectlOk('rollout', 'history', `deploy/${name}`)).split('\n').slice(1).join('\n'));
    const revisions = async (name: string) => (await history(name)).map((r) => r.REVISION).join(',');

    it('rollout history shows revisions with their change-cause; set image, rollout status', async () => {
      await k.kubectlOk('create', 'deployment', 'web', '--image=shop/web:1.0', '--replicas=2');
      await k.kubectlOk('rollout', 'status', 'deploy/web', '--timeout=60s');
      await k.kubectlOk('set', 'image', 'deploy/web', 'web=shop/web:1.1');
      await k.kubectlOk('annotate', 'deploy/web', 'kubernetes.io/change-cause=image 1.1');
      expect(await k.kubectlOk('rollout', 'status', 'deploy/web', '--timeout=60s')).toContain(
        'deployment "web" successfully rolled out',
      );
      await pollUntil('two revisions', async () => (await history('web')).length === 2);
      expect(await k.kubectlOk('rollout', 'history', 'deploy/web')).toMatch(/^deployment\.apps\/web\s*\n/);
      expect(await history('web')).toEqual([
        { REVISION: '1', 'CHANGE-CAUSE': '<none>' },
        { REVISION: '2', 'CHANGE-CAUSE': 'image 1.1' },
      ]);
      const deployment = JSON.parse(await k.kubectlOk('get', 'deploy', 'web', '-o', 'json'));
      expect(deployment.metadata.annotations['deployment.kubernetes.io/revision']).toBe('2');
      const rs = JSON.parse(await k.kubectlOk('get', 'rs', '-l', 'app=web', '-o', 'json'));
      expect(
        rs.items
          .map((r: { metadata: { annotations: Record<string, string> }; spec: { replicas: number } }) => [
            r.metadata.annotations['deployment.kubernetes.io/revision'],
            r.spec.replicas,
          ])
          .sort(),
      ).toEqual([
        ['1', 0],
        ['2', 2],
      ]);
      expect(await k.kubectlOk('rollout', 'history', 'deploy/web', '--revision=1')).toContain('shop/web:1.0');
    });

    it('rollout undo and undo --to-revision', async () => {
      await k.kubectlOk('rollout', 'undo', 'deploy/web');
      await pollUntil('the rollback to 1.0', async () => (await imageOf('web')) === 'shop/web:1.0');
      await k.kubectlOk('rollout', 'status', 'deploy/web', '--timeout=60s');
      await pollUntil('revisions 2 and 3', async () => (await revisions('web')) === '2,3');
      await k.kubectlOk('rollout', 'undo', 'deploy/web', '--to-revision=2');
      await pollUntil('the rollback to 1.1', async () => (await imageOf('web')) === 'shop/web:1.1');
      await pollUntil('revisions 3 and 4', async () => (await revisions('web')) === '3,4');
      expect((await history('web')).find((r) => r.REVISION === '4')?.['CHANGE-CAUSE']).toBe('image 1.1');
      const bad = await k.kubectl(['rollout', 'undo', 'deploy/web', '--to-revision=9']);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('unable to find specified revision 9 in history');
    });

    it('rollout restart makes a new revision with restartedAt', async () => {
      await k.kubectlOk('rollout', 'restart', 'deploy/web');
      const restartedAt = await pollUntil('the restart annotation', () =>
        k.kubectlOk(
          'get',
          'deploy',
          'web',
          '-o',
          'jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}',
        ),
      );
      expect(Date.parse(restartedAt)).not.toBeNaN();
      await k.kubectlOk('rollout', 'status', 'deploy/web', '--timeout=60s');
      await pollUntil('revision 5', async () => (await revisions('web')) === '3,4,5');
    });

    it('get events shows scheduling, container starts, scaling and pod creation', async () => {
      const events = await pollUntil('the events of web', async () => {
        const rows = table(await k.kubectlOk('get', 'events', '--sort-by=.metadata.creationTimestamp'));
        const reasons = new Set(rows.map((r) => r.REASON));
        const all = [
          'Scheduled',
          'Pulled',
          'Created',
          'Started',
          'ScalingReplicaSet',
          'SuccessfulCreate',
          'Killing',
        ];
        return all.every((reason) => reasons.has(reason)) ? rows : undefined;
      });
      expect(events).toContainEqual(
        expect.objectContaining({ TYPE: 'Normal', REASON: 'ScalingReplicaSet', OBJECT: 'deployment/web' }),
      );
      expect(
        events.find((r) => r.REASON === 'ScalingReplicaSet' && r.OBJECT === 'deployment/web')?.MESSAGE,
      ).toMatch(/^Scaled (up|down) replica set web-[0-9a-f]{10} from \d+ to \d+$/);
      const started = events.find((r) => r.REASON === 'Started' && r.OBJECT?.startsWith('pod/web-'));
      expect(started?.MESSAGE).toBe('Started container web');
      const v1 = JSON.parse(await k.kubectlOk('get', 'events.events.k8s.io', '-o', 'json'));
      expect(
        v1.items.some(
          (e: { reason: string; regarding: { kind: string } }) =>
            e.reason === 'Scheduled' && e.regarding.kind === 'Pod',
        ),
      ).toBe(true);
    });

    it('kubectl events --for a deployment', async () => {
      const rows = table(await k.kubectlOk('events', '--for', 'deploy/web'));
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.OBJECT === 'Deployment/web')).toBe(true);
      expect(rows.map((r) => r.REASON)).toContain('ScalingReplicaSet');
    });

    it('describe pod shows its events; readiness failures are Unhealthy, counted', async () => {
      const pod = await pollUntil('the probed pod', async () =>
        (await k.kubectlOk('get', 'pods', '-l', 'app=probed', '-o', 'name')).trim(),
      );
      const name = pod.replace('pod/', '');
      await k.kubectlOk('wait', '--for=condition=Ready', pod, '--timeout=60s');
      k.cluster.pods.fail(name, 503);
      const described = await pollUntil('two Unhealthy probes in describe', async () => {
        const out = await k.kubectlOk('describe', pod);
        return /Warning\s+Unhealthy\s+\S+ \(x([2-9]|\d\d+) over \S+\)\s+kubelet\s+Readiness probe failed: HTTP probe failed with statuscode: 503/.test(
          out,
        )
          ? out
          : undefined;
      });
      expect(described).toMatch(
        /Normal\s+Scheduled\s+.*default-scheduler\s+Successfully assigned default\/probed-/,
      );
      expect(described).toMatch(/Normal\s+Started\s+.*kubelet\s+Started container web/);
      const unhealthy = JSON.parse(
        await k.kubectlOk(
          'get',
          'events',
          '--field-selector',
          `involvedObject.name=${name},reason=Unhealthy`,
          '-o',
          'json',
        ),
      ).items.filter((e: { message: string }) => e.message.endsWith('statuscode: 503'));
      expect(unhealthy).toHaveLength(1);
      expect(unhealthy[0]).toMatchObject({ type: 'Warning', source: { component: 'kubelet' } });
      expect(unhealthy[0].count).toBeGreaterThanOrEqual(2);
      k.cluster.pods.restore(name);
    });
  });

  describe('explain and field validation', () => {
    const k = useConformanceCluster();
    const misspelt = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: typo }
spec:
  replica: 2
  selector: { matchLabels: { app: typo } }
  template:
    metadata: { labels: { app: typo } }
    spec: { containers: [{ name: web, image: web:1, imagePullPolicyy: Always }] }
`;

    it('explain deployment.spec.replicas', async () => {
      const out = await k.kubectlOk('explain', 'deployment.spec.replicas');
      expect(out).toMatch(/GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1/);
      expect(out).toContain('FIELD: replicas <integer>');
      expect(out).toContain('Number of desired pods.');
    });

    it('explain pod.spec.containers', async () => {
      const out = await k.kubectlOk('explain', 'pod.spec.containers');
      expect(out).toContain('FIELD: containers <[]Container>');
      expect(out).toMatch(/name\s+<string> -required-/);
      expect(out).toMatch(/readinessProbe\s+<Probe>/);
    });

    it('apply -f with a misspelt field is a 400 strict decoding error', async () => {
      const file = await k.file('typo.yaml', misspelt);
      const result = await k.kubectl(['apply', '-f', file]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(
        'Error from server (BadRequest): error when creating "' +
          file +
          '": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolicyy"',
      );
      expect(k.cluster.get('deployments', 'typo')).toBeUndefined();
    });

    it('create -f --validate=warn stores it without the field and warns', async () => {
      const file = await k.file('typo.yaml', misspelt);
      const result = await k.kubectl(['create', '-f', file, '--validate=warn']);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain('Warning: unknown field "spec.replica"');
      const spec = k.cluster.get('deployments', 'typo')?.spec as Record<string, unknown>;
      expect(spec.replica).toBeUndefined();
      expect(spec.replicas).toBe(1);
      await k.kubectlOk('delete', 'deploy', 'typo');
    });

    it('create -f --validate=ignore drops the field silently', async () => {
      const file = await k.file('typo.yaml', misspelt);
      const result = await k.kubectl(['create', '-f', file, '--validate=ignore']);
      expect([result.code, result.stderr]).toEqual([0, '']);
      const stored = k.cluster.get('deployments', 'typo');
      expect(stored?.spec).toMatchObject({ replicas: 1 });
      expect((stored?.spec ?? {}) as Record<string, unknown>).not.toHaveProperty('replica');
    });
  });

  describe('wide tables and workloads', () => {
    const k = useConformanceCluster();
    const statefulSet = `
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db }
spec:
  serviceName: db
  replicas: 3
  selector: { matchLabels: { app: db } }
  template:
    metadata: { labels: { app: db } }
    spec: { containers: [{ name: db, image: shop/db:1, ports: [{ containerPort: 5432 }] }] }
  volumeClaimTemplates:
    - metadata: { name: data }
      spec: { accessModes: [ReadWriteOnce], resources: { requests: { storage: 2Gi } } }
`;

    it('get deploy,rs,svc -o wide shows CONTAINERS, IMAGES and SELECTOR', async () => {
      await k.kubectlOk('create', 'deployment', 'web', '--image=shop/web:1.0', '--replicas=2');
      await k.kubectlOk('expose', 'deploy', 'web', '--port=80', '--target-port=8080');
      await k.kubectlOk('rollout', 'status', 'deploy/web', '--timeout=60s');
      const [deployment] = table(await k.kubectlOk('get', 'deploy', 'web', '-o', 'wide'));
      expect(deployment).toMatchObject({
        NAME: 'web',
        CONTAINERS: 'web',
        IMAGES: 'shop/web:1.0',
        SELECTOR: 'app=web',
      });
      const [rs] = table(await k.kubectlOk('get', 'rs', '-l', 'app=web', '-o', 'wide'));
      expect(rs).toMatchObject({ CONTAINERS: 'web', IMAGES: 'shop/web:1.0' });
      expect(rs?.SELECTOR).toMatch(/^app=web,pod-template-hash=[0-9a-f]{10}$/);
      const [svc] = table(await k.kubectlOk('get', 'svc', 'web', '-o', 'wide'));
      expect(svc).toMatchObject({ NAME: 'web', TYPE: 'ClusterIP', 'PORT(S)': '80/TCP', SELECTOR: 'app=web' });
      const pods = table(await k.kubectlOk('get', 'pods', '-l', 'app=web', '-o', 'wide'));
      expect(Object.keys(pods[0] ?? {})).toEqual([
        'NAME',
        'READY',
        'STATUS',
        'RESTARTS',
        'AGE',
        'IP',
        'NODE',
        'NOMINATED NODE',
        'READINESS GATES',
      ]);
      expect(pods.every((p) => /^127\./.test(p.IP ?? '') && p.NODE?.startsWith('kubesmart-node-'))).toBe(
        true,
      );
    });

    it('create job runs a pod to completion; logs job/NAME', async () => {
      await k.kubectlOk('create', 'job', 'hello', '--image=busybox', '--', 'echo', 'hello');
      await k.kubectlOk('wait', '--for=condition=complete', 'job/hello', '--timeout=60s');
      const [job] = table(await k.kubectlOk('get', 'job', 'hello', '-o', 'wide'));
      expect(job).toMatchObject({ NAME: 'hello', STATUS: 'Complete', COMPLETIONS: '1/1', IMAGES: 'busybox' });
      expect(job?.SELECTOR).toMatch(/^batch\.kubernetes\.io\/controller-uid=/);
      expect((await k.kubectlOk('logs', 'job/hello')).trim()).toBe('hello');
      const status = JSON.parse(await k.kubectlOk('get', 'job', 'hello', '-o', 'jsonpath={.status}'));
      expect(status).toMatchObject({ succeeded: 1, active: 0 });
    });

    it('a Job whose pods fail stops after backoffLimit', async () => {
      const file = await k.file(
        'failing.yaml',
        `
apiVersion: batch/v1
kind: Job
metadata: { name: failing }
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{ name: main, image: busybox, command: [sh, -c, 'exit 3'] }]
`,
      );
      await k.kubectlOk('apply', '-f', file);
      await k.kubectlOk('wait', '--for=condition=failed', 'job/failing', '--timeout=60s');
      const job = JSON.parse(await k.kubectlOk('get', 'job', 'failing', '-o', 'json'));
      expect(job.status.failed).toBe(2);
      expect(job.status.conditions).toContainEqual(
        expect.objectContaining({ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }),
      );
    });

    it('statefulset pods NAME-0.., rollout status, claims bound to volumes', async () => {
      await k.kubectlOk('apply', '-f', await k.file('sts.yaml', statefulSet));
      expect(await k.kubectlOk('rollout', 'status', 'sts/db', '--timeout=60s')).toContain(
        'roll out complete: 3 new pods have been updated',
      );
      const pods = table(await k.kubectlOk('get', 'pods', '-l', 'app=db'));
      expect(pods.map((p) => p.NAME)).toEqual(['db-0', 'db-1', 'db-2']);
      const claims = table(await k.kubectlOk('get', 'pvc'));
      expect(claims.map((c) => [c.NAME, c.STATUS, c.CAPACITY, c['ACCESS MODES']])).toEqual([
        ['data-db-0', 'Bound', '2Gi', 'RWO'],
        ['data-db-1', 'Bound', '2Gi', 'RWO'],
        ['data-db-2', 'Bound', '2Gi', 'RWO'],
      ]);
      const volumes = table(await k.kubectlOk('get', 'pv'));
      expect(volumes.map((v) => v.CLAIM).sort()).toEqual([
        'default/data-db-0',
        'default/data-db-1',
        'default/data-db-2',
      ]);
      const pod = JSON.parse(await k.kubectlOk('get', 'pod', 'db-1', '-o', 'json'));
      expect(pod.spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
      expect(pod.spec.volumes).toContainEqual({
        name: 'data',
        persistentVolumeClaim: { claimName: 'data-db-1' },
      });
    });

    it('scale statefulset removes the highest ordinals', async () => {
      await k.kubectlOk('scale', 'sts/db', '--replicas=1');
      await pollUntil('only db-0 left', async () => {
        const names = table(await k.kubectlOk('get', 'pods', '-l', 'app=db')).map((p) => p.NAME);
        return names.join(',') === 'db-0';
      });
      const [sts] = table(await k.kubectlOk('get', 'sts', 'db', '-o', 'wide'));
      await pollUntil(
        'READY 1/1',
        async () => table(await k.kubectlOk('get', 'sts', 'db'))[0]?.READY === '1/1',
      );
      expect(sts).toMatchObject({ NAME: 'db', CONTAINERS: 'db', IMAGES: 'shop/db:1' });
    });

    it('delete pvc deletes its volume', async () => {
      const volume = await k.kubectlOk('get', 'pvc', 'data-db-2', '-o', 'jsonpath={.spec.volumeName}');
      await k.kubectlOk('delete', 'pvc', 'data-db-2');
      await pollUntil(
        'the volume gone',
        async () => !(await k.kubectlOk('get', 'pv', '-o', 'name')).includes(volume),
      );
    });
  });

  describe('pagination', () => {
    const k = useConformanceCluster({ compactionWindow: 10 });
    const page = async (query: string) =>
      JSON.parse(await k.kubectlOk('get', '--raw', `/api/v1/namespaces/pages/configmaps?${query}`)) as {
        metadata: { continue?: string; resourceVersion: string };
        items: { metadata: { name: string } }[];
      };
    const names = (list: { items: { metadata: { name: string } }[] }) =>
      list.items.map((i) => i.metadata.name);

    it("get --raw ?limit pages come from the first page's snapshot", async () => {
      await k.kubectlOk('create', 'namespace', 'pages');
      for (const name of ['a', 'b', 'c', 'd']) await k.kubectlOk('create', 'configmap', name, '-n', 'pages');
      const first = await page('limit=2');
      expect(names(first)).toEqual(['a', 'b']);
      await k.kubectlOk('delete', 'configmap', 'c', '-n', 'pages');
      await k.kubectlOk('create', 'configmap', 'e', '-n', 'pages');
      const second = await page(`limit=2&continue=${first.metadata.continue}`);
      expect(names(second)).toEqual(['c', 'd']);
      expect(second.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
      expect(names(await page('limit=10'))).toEqual(['a', 'b', 'd', 'e']);
    });

    it('get --raw with an expired continue token is 410 Expired with a fresh continue', async () => {
      const first = await page('limit=1');
      for (let i = 0; i < 12; i += 1)
        await k.kubectlOk('label', 'cm', 'a', '-n', 'pages', `round=${i}`, '--overwrite');
      const expired = await k.kubectl([
        'get',
        '--raw',
        `/api/v1/namespaces/pages/configmaps?limit=1&continue=${first.metadata.continue}`,
      ]);
      expect(expired.code).toBe(1);
      expect(expired.stderr).toContain(
        'Error from server (Expired): The provided continue parameter is too old',
      );
      const core = k.cluster.kubeConfig.makeApiClient(CoreV1Api);
      const refused = await core
        .listNamespacedConfigMap({ namespace: 'pages', limit: 1, _continue: first.metadata.continue ?? '' })
        .then(
          () => undefined,
          (error: { code?: number; body?: string }) => error,
        );
      expect(refused?.code).toBe(410);
      const status = JSON.parse(refused?.body ?? '{}');
      expect(status).toMatchObject({ kind: 'Status', code: 410, reason: 'Expired' });
      const fresh = await page(`limit=10&continue=${status.metadata.continue}`);
      expect(names(fresh)).toEqual(['b', 'd', 'e']);
    });
  });

  describe('server-side apply ownership', () => {
    const k = useConformanceCluster();
    const deployment = (replicas: number) => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: owned }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: owned } }
  template:
    metadata: { labels: { app: owned } }
    spec: { containers: [{ name: web, image: shop/web:1 }] }
`;
    const managersOf = async (name: string) => {
      const out = await k.kubectlOk('get', 'deploy', name, '-o', 'json', '--show-managed-fields');
      const managed = JSON.parse(out).metadata.managedFields;
      if (!Array.isArray(managed)) throw new Error(`no managedFields in ${out}`);
      return managed as { manager: string; fieldsV1: { 'f:spec'?: Record<string, unknown> } }[];
    };

    it('apply --server-side of a field another manager owns is a 409 Conflict naming both', async () => {
      await k.kubectlOk(
        'apply',
        '--server-side',
        '--field-manager=team-a',
        '-f',
        await k.file('a.yaml', deployment(2)),
      );
      const file = await k.file('b.yaml', deployment(3));
      const refused = await k.kubectl(['apply', '--server-side', '--field-manager=team-b', '-f', file]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'Apply failed with 1 conflict: conflict with "team-a": .spec.replicas',
      );
      expect(k.cluster.get('deployments', 'owned')?.spec).toMatchObject({ replicas: 2 });
      const same = await k.kubectl([
        'apply',
        '--server-side',
        '--field-manager=team-c',
        '-f',
        await k.file('c.yaml', deployment(2)),
      ]);
      expect(same.code).toBe(0);
    });

    it('apply --server-side --force-conflicts takes the field over', async () => {
      const file = await k.file('b.yaml', deployment(3));
      await k.kubectlOk('apply', '--server-side', '--field-manager=team-b', '--force-conflicts', '-f', file);
      expect(k.cluster.get('deployments', 'owned')?.spec).toMatchObject({ replicas: 3 });
      const managers = await managersOf('owned');
      expect(managers.find((m) => m.manager === 'team-b')?.fieldsV1['f:spec']).toHaveProperty('f:replicas');
      expect(managers.find((m) => m.manager === 'team-a')?.fieldsV1['f:spec']).not.toHaveProperty(
        'f:replicas',
      );
    });

    it('apply --server-side removes a field its only manager stopped applying', async () => {
      const cm = (data: string) => `
apiVersion: v1
kind: ConfigMap
metadata: { name: settings }
data: { ${data} }
`;
      await k.kubectlOk(
        'apply',
        '--server-side',
        '--field-manager=config',
        '-f',
        await k.file('cm1.yaml', cm('a: "1", b: "2"')),
      );
      await k.kubectlOk(
        'apply',
        '--server-side',
        '--field-manager=other',
        '-f',
        await k.file('cm2.yaml', cm('a: "1"')),
      );
      await k.kubectlOk(
        'apply',
        '--server-side',
        '--field-manager=config',
        '-f',
        await k.file('cm3.yaml', cm('c: "3"')),
      );
      expect(k.cluster.get('configmaps', 'settings')?.data).toEqual({ a: '1', c: '3' });
    });

    it('replace --raw of a stale Scale is a 409 Conflict', async () => {
      const path = '/apis/apps/v1/namespaces/default/deployments/owned/scale';
      const scale = (resourceVersion: string, replicas: number) =>
        k.file(
          'scale.json',
          JSON.stringify({
            apiVersion: 'autoscaling/v1',
            kind: 'Scale',
            metadata: { name: 'owned', namespace: 'default', resourceVersion },
            spec: { replicas },
          }),
        );
      const stale = await k.kubectl(['replace', '--raw', path, '-f', await scale('1', 5)]);
      expect(stale.code).toBe(1);
      expect(stale.stderr).toContain(
        'Operation cannot be fulfilled on deployments.apps "owned": the object has been modified; please apply your changes to the latest version and try again',
      );
      expect(k.cluster.get('deployments', 'owned')?.spec).toMatchObject({ replicas: 3 });
      const current = k.cluster.get('deployments', 'owned')?.metadata.resourceVersion ?? '';
      await k.kubectlOk('replace', '--raw', path, '-f', await scale(current, 4));
      expect(k.cluster.get('deployments', 'owned')?.spec).toMatchObject({ replicas: 4 });
    });
  });
});
