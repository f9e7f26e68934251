import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { KubeObject } from '../../src/types.js';
import { pollUntil, SUITE, useConformanceCluster } from './harness.js';

// The daily kubectl operations, with KUBECONFIG pointing at the kubeconfig the emulator writes.

/** Rows of kubectl's table output, keyed by the upper-case column headers. */
function table(stdout: string): Record<string, string>[] {
  const [header, ...rows] = stdout.trimEnd().split('\n');
  const columns = (header ?? '').trim().split(/\s{2,}/);
  return rows.map((row) => {
    const cells = row.trim().split(/\s{2,}/);
    return Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? '']));
  });
}

const deployment = (name: string, replicas: number, image = 'web:1') => `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: daily, labels: { app: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: web
          image: ${image}
          ports: [{ containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /healthz, port: 8080 } }
`;

describe('kubectl', SUITE, () => {
  const k = useConformanceCluster({
    namespace: 'daily',
    objects: `
apiVersion: v1
kind: Namespace
metadata: { name: daily }
---
apiVersion: v1
kind: Namespace
metadata: { name: other }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: daily, labels: { app: shop, tier: web } }
data: { mode: fast, retries: "3" }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: audit, namespace: daily, labels: { app: shop, tier: db } }
data: { level: info }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: elsewhere, namespace: other, labels: { app: billing } }
data: { x: "1" }
`,
  });
  const names = (stdout: string) => stdout.trim().split('\n').filter(Boolean).sort();

  it('get configmap NAME -o yaml', async () => {
    const cm = parseYaml(await k.kubectlOk('get', 'configmap', 'settings', '-o', 'yaml')) as KubeObject;
    expect(cm).toMatchObject({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'daily', labels: { app: 'shop', tier: 'web' } },
      data: { mode: 'fast', retries: '3' },
    });
    expect(cm.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(cm.metadata.uid).toEqual(expect.any(String));
  });

  it('get configmaps -o json', async () => {
    const list = JSON.parse(await k.kubectlOk('get', 'configmaps', '-o', 'json')) as {
      kind: string;
      items: KubeObject[];
    };
    expect(list.kind).toBe('List');
    expect(list.items.map((item) => item.metadata.name)).toEqual(
      expect.arrayContaining(['audit', 'settings']),
    );
  });

  it('get -o jsonpath', async () => {
    expect(await k.kubectlOk('get', 'configmap', 'settings', '-o', 'jsonpath={.data.mode}')).toBe('fast');
    const all = await k.kubectlOk(
      'get',
      'configmaps',
      '-l',
      'app=shop',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.metadata.labels.tier}{"\\n"}{end}',
    );
    expect(names(all)).toEqual(['audit=db', 'settings=web']);
  });

  it('get -o custom-columns', async () => {
    const out = await k.kubectlOk(
      'get',
      'configmaps',
      '-l',
      'app=shop',
      '-o',
      'custom-columns=NAME:.metadata.name,TIER:.metadata.labels.tier,NS:.metadata.namespace',
    );
    expect(table(out).sort((a, b) => (a.NAME ?? '').localeCompare(b.NAME ?? ''))).toEqual([
      { NAME: 'audit', TIER: 'db', NS: 'daily' },
      { NAME: 'settings', TIER: 'web', NS: 'daily' },
    ]);
  });

  it('get -o name', async () => {
    expect(names(await k.kubectlOk('get', 'configmaps', '-l', 'app=shop', '-o', 'name'))).toEqual([
      'configmap/audit',
      'configmap/settings',
    ]);
  });

  it('get -A', async () => {
    const rows = table(await k.kubectlOk('get', 'configmaps', '-A', '-l', 'app'));
    expect(rows.map((row) => `${row.NAMESPACE}/${row.NAME}`).sort()).toEqual([
      'daily/audit',
      'daily/settings',
      'other/elsewhere',
    ]);
  });

  it('get -l with equality, set and existence selectors', async () => {
    const get = async (selector: string) =>
      names(await k.kubectlOk('get', 'cm', '-A', '-l', selector, '-o', 'name'));
    expect(await get('app=shop,tier!=db')).toEqual(['configmap/settings']);
    expect(await get('tier in (db,cache)')).toEqual(['configmap/audit']);
    expect(await get('app notin (shop),app')).toEqual(['configmap/elsewhere']);
    expect(await get('!tier,app')).toEqual(['configmap/elsewhere']);
    const bad = await k.kubectl(['get', 'cm', '-l', 'app==,,']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/unable to parse requirement|invalid|found ','/i);
  });

  it('get --chunk-size pages through the list', async () => {
    await k.cluster.apply(
      Array.from({ length: 9 }, (_, i) => ({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `chunk-${i}`, namespace: 'daily', labels: { chunked: 'yes' } },
      })),
    );
    const out = await k.kubectl(['get', 'cm', '-l', 'chunked', '--chunk-size=2', '-o', 'name', '-v=6']);
    expect(out.code, out.stderr).toBe(0);
    expect(names(out.stdout)).toEqual(Array.from({ length: 9 }, (_, i) => `configmap/chunk-${i}`));
    // kubectl logs each request at -v=6: five pages, each but the first following a continue token.
    const pages = out.stderr.split('\n').filter((line) => /GET.*\/configmaps\?[^"\s]*limit=2/.test(line));
    expect(pages).toHaveLength(5);
    expect(pages.filter((line) => line.includes('continue='))).toHaveLength(4);
  });

  it('get -w prints the changes it sees, stopped after the first events', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'seen', namespace: 'daily', labels: { watched: 'yes' } },
      data: { v: '1' },
    });
    const watcher = k.startKubectl(['get', 'configmaps', '-l', 'watched', '-w', '--output-watch-events']);
    // The watch starts with the objects that exist, listed as ADDED.
    await watcher.waitForOutput('the existing object', (out) => /^ADDED\s+seen\s/m.test(out));
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'seen', namespace: 'daily', labels: { watched: 'yes' } },
      data: { v: '2', w: '3' },
    });
    await watcher.waitForOutput('the modification', (out) => /^MODIFIED\s+seen\s+2\s/m.test(out));
    k.cluster.delete('configmaps', 'seen', 'daily');
    await watcher.waitForOutput('the deletion', (out) => /^DELETED\s+seen\s/m.test(out));
    expect(watcher.stdout().split('\n')[0]).toMatch(/^EVENT\s+NAME\s+DATA\s+AGE$/);
    await watcher.stop();
  });

  it('describe deployment and pod', async () => {
    await k.kubectlOk('apply', '-f', await k.file('described.yaml', deployment('described', 1)));
    await k.kubectlOk('wait', '--for=condition=Available', 'deployment/described', '--timeout=120s');
    const out = await k.kubectlOk('describe', 'deployment', 'described');
    expect(out).toMatch(/^Name:\s+described$/m);
    expect(out).toMatch(/^Namespace:\s+daily$/m);
    expect(out).toMatch(/^Selector:\s+app=described$/m);
    expect(out).toMatch(/^Replicas:\s+1 desired \| 1 updated \| 1 total \| 1 available \| 0 unavailable$/m);
    expect(out).toMatch(/Image:\s+web:1/);
    const pod = await k.kubectlOk('describe', 'pod', '-l', 'app=described');
    expect(pod).toMatch(/^Status:\s+Running$/m);
    expect(pod).toMatch(/^IP:\s+127\.\d+\.\d+\.\d+$/m);
    expect(pod).toMatch(/Ready\s+True/);
  });

  it('apply -f creates, then updates', async () => {
    const path = await k.file(
      'applied.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: applied, namespace: daily }
data: { a: "1", b: "2" }
`,
    );
    expect(await k.kubectlOk('apply', '-f', path)).toMatch(/configmap\/applied created/);
    expect(await k.kubectlOk('apply', '-f', path)).toMatch(/configmap\/applied unchanged/);
    const changed = await k.file(
      'applied.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: applied, namespace: daily }
data: { a: "10" }
`,
    );
    expect(await k.kubectlOk('apply', '-f', changed)).toMatch(/configmap\/applied configured/);
    // The three-way merge drops b, which the last applied configuration had and the new one lacks.
    expect(k.cluster.get('configmaps', 'applied', 'daily')?.data).toEqual({ a: '10' });
  });

  it('diff -f', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'diffed', namespace: 'daily' },
      data: { mode: 'old' },
    });
    const same = await k.file(
      'diffed.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: diffed, namespace: daily }
data: { mode: old }
`,
    );
    const none = await k.kubectl(['diff', '-f', same]);
    expect(none.code, none.stderr).toBe(0);
    expect(none.stdout).toBe('');
    const changed = await k.file(
      'diffed.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: diffed, namespace: daily }
data: { mode: new }
`,
    );
    // diff exits 1 when it found differences, and leaves the object as it was (a server-side dry run).
    const found = await k.kubectl(['diff', '-f', changed]);
    expect(found.code, found.stderr).toBe(1);
    expect(found.stdout).toMatch(/^-\s+mode: old$/m);
    expect(found.stdout).toMatch(/^\+\s+mode: new$/m);
    expect(k.cluster.get('configmaps', 'diffed', 'daily')?.data).toEqual({ mode: 'old' });
  });

  it('patch --type strategic, merge and json', async () => {
    await k.kubectlOk('apply', '-f', await k.file('patched.yaml', deployment('patched', 0)));
    await k.kubectlOk(
      'patch',
      'deployment',
      'patched',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"side","image":"side:1"}]}}}}',
    );
    const images = async () =>
      (
        await k.kubectlOk(
          'get',
          'deploy',
          'patched',
          '-o',
          'jsonpath={.spec.template.spec.containers[*].image}',
        )
      )
        .split(' ')
        .sort();
    expect(await images()).toEqual(['side:1', 'web:1']);
    await k.kubectlOk(
      'patch',
      'deployment',
      'patched',
      '--type',
      'merge',
      '-p',
      '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"web:2"}]}}}}',
    );
    expect(await images()).toEqual(['web:2']);
    await k.kubectlOk(
      'patch',
      'deployment',
      'patched',
      '--type',
      'json',
      '-p',
      '[{"op":"replace","path":"/spec/replicas","value":0},{"op":"add","path":"/metadata/labels/patched","value":"json"}]',
    );
    expect(k.cluster.get('deployments', 'patched', 'daily')?.metadata.labels).toEqual({
      app: 'patched',
      patched: 'json',
    });
    const failed = await k.kubectl([
      'patch',
      'deployment',
      'patched',
      '--type',
      'json',
      '-p',
      '[{"op":"remove","path":"/spec/nothing"}]',
    ]);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/nothing|path|does not exist|missing/i);
  });

  it('label and annotate, with --overwrite and removal', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'tagged', namespace: 'daily' },
    });
    await k.kubectlOk('label', 'configmap', 'tagged', 'team=a', 'env=dev');
    const refused = await k.kubectl(['label', 'configmap', 'tagged', 'team=b']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/already has a value \(a\), and --overwrite is false/);
    await k.kubectlOk('label', 'configmap', 'tagged', 'team=b', '--overwrite');
    await k.kubectlOk('label', 'configmap', 'tagged', 'env-');
    await k.kubectlOk('annotate', 'configmap', 'tagged', 'owner=alice', 'note=temp');
    await k.kubectlOk('annotate', 'configmap', 'tagged', 'owner=bob', '--overwrite');
    await k.kubectlOk('annotate', 'configmap', 'tagged', 'note-');
    const cm = k.cluster.get('configmaps', 'tagged', 'daily');
    expect(cm?.metadata.labels).toEqual({ team: 'b' });
    expect(cm?.metadata.annotations).toEqual({ owner: 'bob' });
  });

  it('scale deployment --replicas', async () => {
    await k.kubectlOk('apply', '-f', await k.file('scaled.yaml', deployment('scaled', 1)));
    expect(await k.kubectlOk('scale', 'deployment', 'scaled', '--replicas=3')).toMatch(
      /deployment.apps\/scaled scaled/,
    );
    await pollUntil(
      'three ready replicas',
      async () =>
        (await k.kubectlOk('get', 'deploy', 'scaled', '-o', 'jsonpath={.status.readyReplicas}')) === '3',
      120_000,
    );
    await k.kubectlOk('scale', 'deployment', 'scaled', '--replicas=1');
    await pollUntil(
      'one pod left',
      async () => names(await k.kubectlOk('get', 'pods', '-l', 'app=scaled', '-o', 'name')).length === 1,
      120_000,
    );
  });

  it('expose deployment', async () => {
    await k.kubectlOk('apply', '-f', await k.file('exposed.yaml', deployment('exposed', 1)));
    expect(await k.kubectlOk('expose', 'deployment', 'exposed', '--port=80', '--target-port=8080')).toMatch(
      /service\/exposed exposed/,
    );
    const svc = JSON.parse(await k.kubectlOk('get', 'service', 'exposed', '-o', 'json')) as KubeObject;
    expect(svc.spec).toMatchObject({
      selector: { app: 'exposed' },
      ports: [expect.objectContaining({ port: 80, targetPort: 8080, protocol: 'TCP' })],
      type: 'ClusterIP',
    });
    const endpoints = await pollUntil(
      'the endpoint of the ready pod',
      async () => {
        const out = await k.kubectlOk(
          'get',
          'endpoints',
          'exposed',
          '-o',
          'jsonpath={.subsets[*].addresses[*].ip}',
        );
        return out.trim() ? out.trim() : undefined;
      },
      120_000,
    );
    expect(endpoints).toMatch(/^127\.\d+\.\d+\.\d+$/);
  });

  it('wait --for=condition', async () => {
    await k.kubectlOk('apply', '-f', await k.file('waited.yaml', deployment('waited', 2)));
    expect(
      await k.kubectlOk('wait', '--for=condition=Available', 'deployment/waited', '--timeout=120s'),
    ).toMatch(/deployment.apps\/waited condition met/);
    const pods = await k.kubectlOk(
      'wait',
      '--for=condition=Ready',
      'pod',
      '-l',
      'app=waited',
      '--timeout=120s',
    );
    expect(pods.trim().split('\n')).toHaveLength(2);
    const timedOut = await k.kubectl(['wait', '--for=condition=Ready', 'pod/absent', '--timeout=1s']);
    expect(timedOut.code).not.toBe(0);
    expect(timedOut.stderr).toMatch(/not found/);
  });

  it('delete -f and delete -l', async () => {
    const path = await k.file(
      'deleted.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: doomed, namespace: daily, labels: { doomed: "yes" } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: doomed-too, namespace: daily, labels: { doomed: "yes" } }
`,
    );
    await k.kubectlOk('apply', '-f', path);
    expect(await k.kubectlOk('delete', '-f', path)).toMatch(
      /configmap "doomed" deleted[\s\S]*configmap "doomed-too" deleted/,
    );
    await k.kubectlOk('apply', '-f', path);
    const out = await k.kubectlOk('delete', 'configmaps', '-l', 'doomed=yes');
    expect(names(out)).toEqual(['configmap "doomed" deleted', 'configmap "doomed-too" deleted']);
    expect(k.cluster.list('configmaps', 'daily').filter((cm) => cm.metadata.labels?.doomed)).toEqual([]);
    const missing = await k.kubectl(['delete', 'configmap', 'doomed']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/configmaps "doomed" not found/);
  });

  it('api-resources', async () => {
    const rows = table(await k.kubectlOk('api-resources'));
    const byName = Object.fromEntries(rows.map((row) => [row.NAME, row]));
    expect(byName.pods).toMatchObject({
      SHORTNAMES: 'po',
      APIVERSION: 'v1',
      NAMESPACED: 'true',
      KIND: 'Pod',
    });
    expect(byName.deployments).toMatchObject({
      SHORTNAMES: 'deploy',
      APIVERSION: 'apps/v1',
      KIND: 'Deployment',
    });
    expect(byName.namespaces).toMatchObject({ NAMESPACED: 'false', KIND: 'Namespace' });
    const namespaced = names(await k.kubectlOk('api-resources', '--namespaced=false', '-o', 'name'));
    expect(namespaced).toContain('namespaces');
    expect(namespaced).not.toContain('pods');
  });

  it('api-versions', async () => {
    expect(names(await k.kubectlOk('api-versions'))).toEqual(expect.arrayContaining(['apps/v1', 'v1']));
  });

  it('config view', async () => {
    const view = parseYaml(await k.kubectlOk('config', 'view', '--minify')) as {
      clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
      contexts: { context: { namespace?: string } }[];
      users: { user: { token?: string } }[];
    };
    expect(view.clusters[0]?.cluster.server).toBe(k.cluster.url);
    expect(view.clusters[0]?.cluster['certificate-authority-data']).toBe('DATA+OMITTED');
    expect(view.contexts[0]?.context.namespace).toBe('daily');
    expect(view.users[0]?.user.token).toBe('REDACTED');
    expect(await k.kubectlOk('config', 'current-context')).toBe('kubesmart-mock\n');
  });

  it('create -f and replace -f', async () => {
    const path = await k.file(
      'created.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: created, namespace: daily }
data: { v: "1" }
`,
    );
    expect(await k.kubectlOk('create', '-f', path)).toMatch(/configmap\/created created/);
    const again = await k.kubectl(['create', '-f', path]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/configmaps "created" already exists/);
    const replaced = await k.file(
      'created.yaml',
      `
apiVersion: v1
kind: ConfigMap
metadata: { name: created, namespace: daily }
data: { v: "2" }
`,
    );
    expect(await k.kubectlOk('replace', '-f', replaced)).toMatch(/configmap\/created replaced/);
    expect(k.cluster.get('configmaps', 'created', 'daily')?.data).toEqual({ v: '2' });
  });

  it('edit with KUBE_EDITOR', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'edited', namespace: 'daily' },
      data: { mode: 'fast' },
    });
    const edited = await k.kubectl(['edit', 'configmap', 'edited'], {
      env: k.env({ KUBE_EDITOR: 'sed -i "s/mode: fast/mode: slow/"' }),
    });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stdout).toMatch(/configmap\/edited edited/);
    expect(k.cluster.get('configmaps', 'edited', 'daily')?.data).toEqual({ mode: 'slow' });
  });

  it('get --field-selector, --sort-by, --show-labels and -L', async () => {
    const bySelector = await k.kubectlOk(
      'get',
      'cm',
      '-A',
      '--field-selector',
      'metadata.namespace=other',
      '-o',
      'name',
    );
    expect(names(bySelector)).toEqual(['configmap/elsewhere']);
    const sorted = await k.kubectlOk(
      'get',
      'cm',
      '-l',
      'app=shop',
      '--sort-by=.metadata.labels.tier',
      '-o',
      'name',
    );
    expect(sorted.trim().split('\n')).toEqual(['configmap/audit', 'configmap/settings']);
    const labelled = table(await k.kubectlOk('get', 'cm', 'settings', '--show-labels'));
    expect(labelled[0]?.LABELS?.split(',').sort()).toEqual(['app=shop', 'tier=web']);
    const columns = table(await k.kubectlOk('get', 'cm', '-l', 'app=shop', '-L', 'tier'));
    expect(columns.map((row) => `${row.NAME}:${row.TIER}`).sort()).toEqual(['audit:db', 'settings:web']);
  });

  it('get -o go-template', async () => {
    const out = await k.kubectlOk(
      'get',
      'cm',
      'settings',
      '-o',
      'go-template={{.metadata.name}}:{{index .data "mode"}}',
    );
    expect(out).toBe('settings:fast');
  });

  it('apply -k', async () => {
    const dir = join(k.dir, 'kustomized');
    await mkdir(dir);
    await writeFile(
      join(dir, 'kustomization.yaml'),
      'namespace: daily\ncommonLabels: { team: kustom }\nconfigMapGenerator:\n  - name: generated\n    literals: [mode=kustom]\n',
    );
    expect(await k.kubectlOk('apply', '-k', dir)).toMatch(/configmap\/generated-[a-z0-9]+ created/);
    const generated = JSON.parse(await k.kubectlOk('get', 'cm', '-l', 'team=kustom', '-o', 'json')) as {
      items: KubeObject[];
    };
    expect(generated.items.map((cm) => cm.data)).toEqual([{ mode: 'kustom' }]);
  });

  it('get --raw', async () => {
    const list = JSON.parse(
      await k.kubectlOk('get', '--raw', '/api/v1/namespaces/daily/configmaps?labelSelector=tier%3Dweb'),
    ) as {
      kind: string;
      items: KubeObject[];
    };
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((cm) => cm.metadata.name)).toEqual(['settings']);
    const missing = await k.kubectl(['get', '--raw', '/api/v1/namespaces/daily/configmaps/nope']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/NotFound|not found/);
  });

  it('delete pod --grace-period=0 --force', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'forced', namespace: 'daily' },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    });
    const out = await k.kubectl(['delete', 'pod', 'forced', '--grace-period=0', '--force']);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/pod "forced" force deleted/);
    expect(k.cluster.get('pods', 'forced', 'daily')).toBeUndefined();
  });

  it('unsupported: top pods (no metrics API)', async () => {
    const out = await k.kubectl(['top', 'pods']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/Metrics API not available/);
  });
});
