import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { namespace, pod, podPhase, type QueryCluster, startQueryCluster } from '../../test/queryCluster.js';
import { PODS } from '../cluster/resources.js';
import { ErrorCode, QueryNotFoundError } from '../errors.js';
import { ResultList } from './builder/resultList.js';

let t: QueryCluster;

beforeAll(async () => {
  t = await startQueryCluster();
  await t.cluster.apply([namespace('production')]);
  await t.cluster.apply([
    pod('nlp-main-1', { namespace: 'production', labels: { app: 'nlp' }, image: 'hooli/nlp_main:latest' }),
    pod('nlp-main-2', { namespace: 'production', labels: { app: 'nlp' }, image: 'hooli/nlp_main:latest' }),
    pod('site', { labels: { app: 'site' }, image: 'nginx:1.27' }),
  ]);
  for (const [name, ns] of [
    ['nlp-main-1', 'production'],
    ['nlp-main-2', 'production'],
    ['site', 'default'],
  ] as const) {
    await podPhase(t.cluster, name, 'Running', ns);
  }
  await t.cluster.apply([
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'db', namespace: 'default' },
      stringData: { password: 'hunter2' },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { mode: 'fast', level: '3' },
    },
  ]);
});
afterAll(() => t.close());

describe('results', () => {
  it('are arrays of typed wrappers with pluck and prettyPluck', async () => {
    const pods = await t.q.pods().inNamespace('production').all();
    expect(pods).toBeInstanceOf(ResultList);
    expect(pods.pluck('namespace', 'status', 'image')).toEqual([
      { namespace: 'production', status: 'Running', image: 'hooli/nlp_main:latest' },
      { namespace: 'production', status: 'Running', image: 'hooli/nlp_main:latest' },
    ]);
    expect(pods.prettyPluck('namespace', 'status', 'image').split('\n')).toEqual([
      'NAME         NAMESPACE    STATUS    IMAGE',
      'nlp-main-1   production   Running   hooli/nlp_main:latest',
      'nlp-main-2   production   Running   hooli/nlp_main:latest',
    ]);
    expect(pods.map((p) => p.name)).not.toBeInstanceOf(ResultList);
    expect(await t.q.pods().inNamespace('production').pluck('restarts', 'phase')).toEqual([
      { restarts: 0, phase: 'Running' },
      { restarts: 0, phase: 'Running' },
    ]);
    const [first] = pods;
    expect(first?.raw.metadata?.name).toBe('nlp-main-1');
    expect(first?.labels).toEqual({ app: 'nlp' });
    expect(first?.ready).toBe(true);
    expect(String(first)).toBe('pod production/nlp-main-1');
    expect(pods.toTable()).toMatch(
      /^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+IMAGE\n/,
    );
  });

  it('first() asks for one object, and says what was searched when nothing matches', async () => {
    const found = await t.q.pods().withLabels({ app: 'nlp' }).run(1);
    expect(found.items).toHaveLength(1);
    expect(found.explanation.steps[0]?.request).toContain('limit=1');
    const missing = t.q.pods().notInNamespaces('dev').named('nlp-main').withLabels({ app: 'nlp' }).first();
    await expect(missing).rejects.toBeInstanceOf(QueryNotFoundError);
    await expect(missing).rejects.toMatchObject({
      code: ErrorCode.QUERY_NOT_FOUND,
      message: expect.stringContaining(
        'No pods matched: searched pods not in namespaces dev named nlp-main with labels app=nlp (1 request(s), 0 object(s) examined)',
      ),
    });
    expect(await t.q.pods().named('nope').firstOrUndefined()).toBeUndefined();
    const none = await t.q.pods().named('a').named('b').explain();
    expect(none).toMatchObject({ requests: 0, matched: 0 });
    expect(none.notes).toContain('the name filters leave no name to look for: nothing to ask');
  });

  it('reads long lists page by page with limit and continue', async () => {
    const paged = t.engine({ pageSize: 1 });
    const e = await paged.pods().explain();
    expect(e.matched).toBe(3);
    expect(e.requests).toBe(3);
    expect(e.steps[0]?.request).toBe('/api/v1/pods?limit=1');
    expect((await paged.pods().all()).map((p) => p.name)).toEqual(['site', 'nlp-main-1', 'nlp-main-2']);
  });

  it('explains what went to the server and what ran here, as text', async () => {
    const e = await t.q
      .pods()
      .inNamespace('production')
      .withLabels({ app: 'nlp' })
      .where((p) => p.restarts < 5, 'few restarts')
      .explain();
    expect(e.text.split('\n')).toEqual([
      'query: pods in namespace production with labels app=nlp where few restarts',
      'server-side: label selector app=nlp; field selector (none)',
      'local: few restarts',
      'step 1: GET /api/v1/namespaces/production/pods?labelSelector=app%3Dnlp&limit=500 (namespace production): 1 request(s), 2 object(s)',
      'total: 1 request(s), 2 object(s) transferred, 0 read from watch caches, 2 matched',
    ]);
  });

  it('reads a live watch cache instead of the API, unless fresh()', async () => {
    const handle = t.context.registry.acquire({ resource: PODS });
    try {
      await handle.cache.waitForSync({ timeoutMs: 5000 });
      const before = t.context.client.stats().requests;
      const cached = t.q.pods().inNamespace('production');
      expect((await cached.all()).map((p) => p.name)).toEqual(['nlp-main-1', 'nlp-main-2']);
      expect(t.context.client.stats().requests).toBe(before);
      const e = await cached.explain();
      expect(e.steps[0]?.source).toBe('watch-cache');
      expect(e.requests).toBe(0);
      expect(e.objectsFromCache).toBe(3);
      expect(e.text).toContain('read from the live watch cache of pods in all namespaces');
      expect((await cached.fresh().explain()).requests).toBe(1);
    } finally {
      handle.release();
    }
    expect((await t.q.pods().inNamespace('production').explain()).steps[0]?.source).toBe('api');
  });
});

describe('kinds', () => {
  it('keeps Secret values out unless withData()', async () => {
    const secret = await t.q.secrets().inNamespace('default').named('db').first();
    expect(secret.raw.data).toBeUndefined();
    expect(secret.keys).toEqual(['password']);
    expect(secret.value('password')).toBeUndefined();
    const full = await t.q.secrets().inNamespace('default').named('db').withData().first();
    expect(full.value('password')).toBe('hunter2');
    expect((await full.setLabels({ tier: 'db' })).value('password')).toBe('hunter2');
  });

  it('serves configmaps, namespaces and nodes', async () => {
    const cm = await t.q.configMaps().named('settings').first();
    expect(cm.keys).toEqual(['level', 'mode']);
    expect((await t.q.namespaces().named('production').first()).phase).toBe('Active');
    const nodes = await t.q.nodes().ready().all();
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes[0]?.status).toBe('Ready');
    expect(nodes[0]?.namespace).toBeUndefined();
    const production = await t.q.namespaces().named('production').first();
    expect((await production.pods().all()).map((p) => p.name)).toEqual(['nlp-main-1', 'nlp-main-2']);
  });
});
