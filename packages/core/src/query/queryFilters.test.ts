import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  namespace,
  type PodInit,
  pod,
  podPhase,
  type QueryCluster,
  startQueryCluster,
} from '../../test/queryCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { InvalidArgumentError } from '../errors.js';

let t: QueryCluster;
const names = (items: readonly { name: string }[]): string[] => items.map((i) => i.name).sort();

const PODS: [string, PodInit][] = [
  ['web-1', { labels: { app: 'web', v: 'alpha' } }],
  ['web-2', { labels: { app: 'web', v: 'beta' } }],
  ['crash', { labels: { app: 'worker' } }],
  ['api-1', { namespace: 'nectar', labels: { app: 'api', v: 'alpha' } }],
  ['pull', { namespace: 'nectar', labels: { app: 'api', v: 'beta' }, image: 'hooli/nope:latest' }],
  ['web-dev', { namespace: 'dev', labels: { app: 'web', v: 'alpha' } }],
  ['cart-1', { namespace: 'shop', labels: { app: 'cart', canary: 'true' } }],
  ['coredns-1', { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } }],
];

beforeAll(async () => {
  t = await startQueryCluster();
  await t.cluster.apply(['nectar', 'dev', 'shop', 'kube-system'].map(namespace));
  await t.cluster.apply(PODS.map(([name, init]) => pod(name, init)));
  for (const [name, init] of PODS) await podPhase(t.cluster, name, 'Running', init.namespace);
  await t.cluster.pods.setContainerState('crash', 'CrashLoopBackOff');
  await t.cluster.pods.setContainerState('pull', 'ImagePullBackOff', { namespace: 'nectar' });
});
afterAll(() => t.close());

describe('namespace filters', () => {
  it('lists a few namespaces one by one, many with one cluster-wide list', async () => {
    const two = await t.q.pods().inNamespaces('default', 'nectar').explain();
    expect(two.steps.map((s) => s.namespace)).toEqual(['default', 'nectar']);
    expect(two.requests).toBe(2);
    expect(two.matched).toBe(5);
    const four = await t.q.pods().inNamespaces('default', 'nectar', 'dev', 'shop').explain();
    expect(four.steps.map((s) => s.namespace)).toEqual([undefined]);
    expect(four.requests).toBe(1);
    expect(four.local).toContain('namespace in (default, nectar, dev, shop)');
    expect(four.matched).toBe(7);
    expect(four.text).toContain('one cluster-wide list instead of 4 namespace lists');
  });

  it('sends the selectors with each namespace list, and one name cluster-wide', async () => {
    const alpha = t.q.pods().inNamespaces('default', 'nectar').withAnyLabel({ v: 'alpha' });
    expect(names(await alpha.all())).toEqual(['api-1', 'web-1']);
    const e = await alpha.explain();
    expect(e.serverSide.labelSelector).toBe('v=alpha');
    expect(e.steps.map((s) => s.request)).toEqual([
      '/api/v1/namespaces/default/pods?labelSelector=v%3Dalpha&limit=500',
      '/api/v1/namespaces/nectar/pods?labelSelector=v%3Dalpha&limit=500',
    ]);
    expect(e.local).toEqual([]);
    const named = await t.q.pods().inNamespaces('default', 'nectar').named('api-1').explain();
    expect(named.steps.map((s) => s.namespace)).toEqual([undefined]);
    expect(named.local).toEqual(['namespace in (default, nectar)']);
    expect(named.matched).toBe(1);
  });

  it('excludes namespaces with a metadata.namespace field selector', async () => {
    const q = t.q.pods().notInNamespaces('dev', 'kube-system');
    const e = await q.explain();
    expect(e.serverSide.fieldSelector).toBe('metadata.namespace!=dev,metadata.namespace!=kube-system');
    expect(e.local).toEqual([]);
    expect(names(await q.all())).toEqual(['api-1', 'cart-1', 'crash', 'pull', 'web-1', 'web-2']);
  });

  it('system() reads kube-system, kube-public and kube-node-lease', async () => {
    const q = t.q.pods().system().withLabels({ 'k8s-app': 'kube-dns' });
    expect(names(await q.all())).toEqual(['coredns-1']);
    expect((await q.explain()).steps.map((s) => s.namespace)).toEqual([
      'kube-system',
      'kube-public',
      'kube-node-lease',
    ]);
  });

  it('refuses namespace filters on cluster-scoped kinds', () => {
    expect(() => t.q.nodes().inNamespace('default')).toThrow(InvalidArgumentError);
  });
});

describe('name, label and field filters', () => {
  it('sends one name as a field selector and several as a local filter', async () => {
    const one = await t.q.pods().named('web-1').explain();
    expect(one.serverSide.fieldSelector).toBe('metadata.name=web-1');
    expect(one.objectsTransferred).toBe(1);
    const two = t.q.pods().inNamespace('default').named('web-1', 'web-2');
    expect(names(await two.all())).toEqual(['web-1', 'web-2']);
    expect((await two.explain()).local).toEqual(['name in (web-1, web-2)']);
  });

  it('withLabels (each) and withoutLabels (not) go out as one label selector', async () => {
    const q = t.q.pods().withLabels({ app: 'web' }).withoutLabels({ v: 'beta' });
    expect((await q.explain()).serverSide.labelSelector).toBe('app=web,v!=beta');
    expect(names(await q.all())).toEqual(['web-1', 'web-dev']);
    const set = t.q
      .pods()
      .withLabels({ app: ['web', 'cart'] })
      .withoutLabels({ v: ['alpha', 'beta'] });
    expect((await set.explain()).serverSide.labelSelector).toBe('app in (web,cart),v notin (alpha,beta)');
    expect(names(await set.all())).toEqual(['cart-1']);
  });

  it('withAnyLabel over several keys runs here', async () => {
    const q = t.q.pods().withAnyLabel({ app: 'cart', v: 'beta' });
    const e = await q.explain();
    expect(e.serverSide.labelSelector).toBeUndefined();
    expect(e.local).toEqual(['any label of app=cart | v=beta']);
    expect(names(await q.all())).toEqual(['cart-1', 'pull', 'web-2']);
  });

  it('takes a kubectl -l selector', async () => {
    const q = t.q.pods().withLabelSelector('app in (web,cart),!canary');
    expect((await q.explain()).serverSide.labelSelector).toBe('app in (cart,web),!canary');
    expect(names(await q.all())).toEqual(['web-1', 'web-2', 'web-dev']);
    expect(() => t.q.pods().withLabelSelector('app=(')).toThrow(InvalidArgumentError);
  });

  it('filters on phase and node with field selectors', async () => {
    const web1 = await t.q.pods().named('web-1').first();
    const node = web1.nodeName ?? '';
    const onNode = t.q.pods().onNode(node);
    expect((await onNode.explain()).serverSide.fieldSelector).toBe(`spec.nodeName=${node}`);
    expect((await onNode.all()).every((p) => p.nodeName === node)).toBe(true);
    const pending = t.q.pods().withPhase('Pending');
    expect((await pending.explain()).serverSide.fieldSelector).toBe('status.phase=Pending');
    expect(names(await pending.all())).toEqual(['pull']);
    expect((await t.q.pods().withPhase('Pending', 'Failed').explain()).local).toEqual([
      'phase in (Pending, Failed)',
    ]);
  });

  it('runs where() here, named in explain()', async () => {
    const q = t.q.pods().where((p) => p.name.endsWith('-1'), 'name ends with -1');
    expect((await q.explain()).local).toEqual(['name ends with -1']);
    expect(names(await q.all())).toEqual(['api-1', 'cart-1', 'coredns-1', 'web-1']);
  });
});

describe('status, age and restart predicates', () => {
  it('broken() finds crash-looping and image-pull pods', async () => {
    const broken = await waitFor('two broken pods', async () => {
      const found = await t.q.pods().broken().all();
      return found.length === 2 ? found : undefined;
    });
    expect(broken.map((p) => [p.name, p.status, p.brokenReason])).toEqual([
      ['crash', 'CrashLoopBackOff', 'CrashLoopBackOff'],
      ['pull', 'ImagePullBackOff', 'ImagePullBackOff'],
    ]);
    expect((await t.q.pods().broken().explain()).local).toEqual(['broken()']);
  });

  it('running() asks for phase Running and drops waiting containers; pending() asks for Pending', async () => {
    const running = t.q.pods().running();
    const e = await running.explain();
    expect(e.serverSide.fieldSelector).toBe('status.phase=Running');
    expect(e.local).toEqual(['running()']);
    const found = names(await running.all());
    expect(found).not.toContain('crash');
    expect(found).toContain('web-1');
    expect(names(await t.q.pods().pending().all())).toEqual(['pull']);
  });

  it('counts restarts', async () => {
    expect(names(await t.q.pods().restartsAtLeast(1).all())).toEqual(['crash']);
    expect(names(await t.q.pods().inNamespace('default').restartsAtMost(0).all())).toEqual([
      'web-1',
      'web-2',
    ]);
  });

  it('compares ages on the injected wall clock', async () => {
    const later = t.engine({ now: () => Date.now() + 3_600_000 });
    expect(await later.pods().olderThan('30m').count()).toBe(PODS.length);
    expect(await later.pods().newerThan('30m').count()).toBe(0);
    expect(await t.q.pods().newerThan('10m').count()).toBe(PODS.length);
    expect(() => t.q.pods().olderThan('soon')).toThrow(InvalidArgumentError);
  });
});
