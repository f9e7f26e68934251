import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  deployment,
  namespace,
  pod,
  podPhase,
  type QueryCluster,
  startQueryCluster,
} from '../../test/queryCluster.js';
import { waitFor } from '../../test/waitFor.js';

let t: QueryCluster;
const names = (items: readonly { name: string }[]): string[] => items.map((i) => i.name).sort();

beforeAll(async () => {
  t = await startQueryCluster();
  await t.cluster.apply([namespace('nectar'), namespace('dev')]);
  await t.cluster.apply([
    deployment('nlp-main', { replicas: 2, labels: { v: 'alpha' } }),
    deployment('nlp-main', { namespace: 'dev', replicas: 1, labels: { v: 'alpha' } }),
    deployment('billing', { namespace: 'nectar', replicas: 1, labels: { v: 'alpha' } }),
    deployment('search', { namespace: 'nectar', replicas: 1, labels: { v: 'beta' } }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'my-svc', namespace: 'default' },
      spec: { selector: { app: 'nlp-main' }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    pod('lonely', { labels: { app: 'lonely' } }),
  ]);
  await waitFor('deployment pods to run', async () => {
    const pods = t.cluster.list('pods');
    const running = pods.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
    return pods.length === 6 && running.length === 6;
  });
  await waitFor('my-svc endpoints', () => {
    const slice = t.cluster
      .list('endpointslices', 'default')
      .find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'my-svc');
    return ((slice?.endpoints as unknown[] | undefined) ?? []).length === 2;
  });
});
afterAll(() => t.close());

describe('joins', () => {
  it('deployments -> pods by each deployment selector', async () => {
    const q = t.q.deployments().inNamespaces('default', 'nectar').withAnyLabel({ v: 'alpha' });
    const deps = await q.all();
    expect(names(deps)).toEqual(['billing', 'nlp-main']);
    const pods = await q.pods().all();
    expect(pods).toHaveLength(3);
    expect(pods.every((p) => p.name.startsWith('nlp-main-') || p.name.startsWith('billing-'))).toBe(true);
    const e = await q.pods().explain();
    expect(e.join?.description).toBe('pods of each deployment (by its selector)');
    expect(e.join?.queries.map((c) => c.serverSide.labelSelector).sort()).toEqual([
      'app=billing',
      'app=nlp-main',
    ]);
    expect(e.requests).toBe(4); // 2 namespace lists of deployments, then 1 pod list per deployment
    expect(e.text).toContain('join: pods of each deployment (by its selector)');
    const [dep] = deps.filter((d) => d.name === 'nlp-main');
    expect(await dep?.pods().count()).toBe(2);
  });

  it('the K8Kat example: broken pods of a deployment outside dev', async () => {
    const nlp = t.q.deployments().notInNamespaces('dev').named('nlp-main').pods();
    expect(await nlp.count()).toBe(2);
    const [victim] = await nlp.all();
    await t.cluster.pods.setContainerState(victim?.name ?? '', 'CrashLoopBackOff');
    const bad = await nlp.broken().all();
    expect(bad.pluck('namespace', 'status')).toEqual([{ namespace: 'default', status: 'CrashLoopBackOff' }]);
    await t.cluster.pods.setContainerState(victim?.name ?? '', 'Running');
  });

  it('one query for many parents, matched here', async () => {
    const narrow = t.engine({ joinFanoutLimit: 1 });
    const q = narrow.deployments().pods();
    expect(await q.count()).toBe(5);
    const e = await q.explain();
    expect(e.join?.queries).toHaveLength(1);
    expect(e.join?.queries[0]?.local).toEqual(['belongs to one of 4 parents']);
    expect(e.join?.queries[0]?.steps.map((s) => s.namespace)).toEqual(['default', 'dev', 'nectar']);
    expect(e.text).toContain('4 parents (more than joinFanoutLimit 1)');
  });

  it('services -> endpointslices -> pods, endpoint IPs and raw endpoints', async () => {
    const svc = await t.q.services().inNamespace('default').named('my-svc').first();
    expect(svc.fqdn).toBe('my-svc.default.svc.cluster.local');
    const pods = await svc.pods().all();
    expect(pods.map((p) => p.name).every((n) => n.startsWith('nlp-main-'))).toBe(true);
    expect(pods).toHaveLength(2);
    expect((await svc.endpointIps()).sort()).toEqual(pods.map((p) => p.ip).sort());
    const raw = await svc.rawEndpoints();
    expect(raw.endpointSlices).toHaveLength(1);
    expect(raw.endpoints?.kind).toBe('Endpoints');
    expect(names(await svc.selectedPods().all())).toEqual(names(pods));
    const joined = t.q.services().inNamespace('default').pods();
    expect(names(await joined.all())).toEqual(names(pods));
    expect((await joined.explain()).join?.parent.join?.description).toBe('endpointslices of each service');
  });

  it('pod -> node and pod -> events', async () => {
    const lonely = await t.q.pods().named('lonely').first();
    const node = await lonely.node();
    expect(node?.name).toBe(lonely.nodeName);
    const nodes = await t.q.pods().inNamespace('default').nodes().all();
    expect(nodes.map((n) => n.name)).toContain(lonely.nodeName);
    expect((await node?.pods().all())?.map((p) => p.name)).toContain('lonely');
    await t.cluster.pods.setContainerState('lonely', 'OOMKilled');
    const events = await waitFor('an OOM event', async () => {
      const found = await lonely.events().all();
      return found.some((e) => e.reason === 'OOMKilling') ? found : undefined;
    });
    expect(events.every((e) => e.involvedObject.name === 'lonely')).toBe(true);
    const joined = t.q.pods().named('lonely').events();
    expect((await joined.all()).map((e) => e.reason)).toContain('OOMKilling');
    expect((await joined.explain()).join?.queries[0]?.serverSide.fieldSelector).toBe(
      'involvedObject.kind=Pod,involvedObject.name=lonely',
    );
    await podPhase(t.cluster, 'lonely', 'Running');
  });
});
