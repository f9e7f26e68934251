/**
 * API requests while resolving 10,000 times over 50 services, three ways, on one emulated API server:
 * kubesmart (shared watch caches: `svc.pick()`), re-listing the service's EndpointSlices on every
 * resolve (k8skv's way), and a cache with an 8 s TTL that re-lists a service when its entry
 * is older (kubeSmartService's way). Requests are counted by the client that sends them
 * (`KubeClient.stats()`, `ks.status().api`). The goal: constant, independent of calls.
 */
import { createMockCluster } from '@kubesmart/mock';
import { KubeClient } from '../src/cluster/kubeClient.js';
import { ENDPOINT_SLICES, resourcePath } from '../src/cluster/resources.js';
import { createKubeSmart, type KubeClientStats, type WatchCacheStatus } from '../src/index.js';
import { latencies, type Row, type Section, timeEach } from './harness.js';
import { writeServices } from './meshFixtures.js';

const SERVICES = 50;
const ENDPOINTS = 3;
const RESOLVES = 10_000;
/** Requests are also read after this many resolves, to show how they grow with calls. */
const EARLY = 1_000;
const TTL_MS = 8_000;
/** Virtual arrival rate of resolves for the TTL cache: 10,000 resolves span 100 s. */
const RESOLVES_PER_SECOND = 100;
const NAMESPACE = 'bench-api';

interface SliceList {
  items: {
    ports?: { port?: number }[];
    endpoints?: { addresses?: string[]; conditions?: { ready?: boolean } }[];
  }[];
}

/** One resolve the old libraries' way: list the service's EndpointSlices, keep ready addresses. */
async function listEndpoints(client: KubeClient, service: string): Promise<string[]> {
  const list = await client.request<SliceList>('GET', resourcePath(ENDPOINT_SLICES, NAMESPACE), {
    query: { labelSelector: `kubernetes.io/service-name=${service}` },
  });
  return list.items.flatMap((slice) =>
    (slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready !== false)
      .flatMap((e) => (e.addresses ?? []).map((a) => `${a}:${slice.ports?.[0]?.port}`)),
  );
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export async function apiRequestsBench(): Promise<Section> {
  const cluster = await createMockCluster();
  const names = writeServices(cluster, NAMESPACE, 'svc', SERVICES, ENDPOINTS);
  const nameOf = (i: number): string => names[i % SERVICES]!;
  let turn = 0;
  const pickFrom = (list: readonly string[]): string | undefined => list[turn++ % list.length];
  try {
    // Re-list per call (k8skv): one GET per resolve.
    const relistClient = new KubeClient({ kubeConfig: cluster.kubeConfig });
    let relistEarly = 0;
    const relist = await timeEach(RESOLVES, async (i) => {
      if (i === EARLY) relistEarly = relistClient.stats().requests;
      return pickFrom(await listEndpoints(relistClient, nameOf(i)));
    });
    const relistRequests = relistClient.stats().requests;
    relistClient.close();

    // 8 s TTL cache (kubeSmartService): a virtual clock moves 10 ms per resolve, so a service's entry
    // expires every 8 s of virtual time; each expiry re-lists it (a real request).
    const ttlClient = new KubeClient({ kubeConfig: cluster.kubeConfig });
    const cache = new Map<string, { endpoints: string[]; at: number }>();
    let virtualNow = 0;
    let ttlEarly = 0;
    const ttl = await timeEach(RESOLVES, async (i) => {
      if (i === EARLY) ttlEarly = ttlClient.stats().requests;
      virtualNow = (i * 1000) / RESOLVES_PER_SECOND;
      const name = nameOf(i);
      let entry = cache.get(name);
      if (entry === undefined || virtualNow - entry.at >= TTL_MS) {
        entry = { endpoints: await listEndpoints(ttlClient, name), at: virtualNow };
        cache.set(name, entry);
      }
      return pickFrom(entry.endpoints);
    });
    const ttlRequests = ttlClient.stats().requests;
    ttlClient.close();

    // kubesmart: one list and one watch per resource and namespace, shared by the 50 services.
    const ks = createKubeSmart({ kubeConfig: cluster.kubeConfig, namespace: NAMESPACE });
    let run: { picks: number[]; atStart: KubeClientStats; ksEarly: KubeClientStats; atEnd: KubeClientStats };
    let caches: WatchCacheStatus[];
    try {
      const services = names.map((name) => ks.service(name, { health: false }));
      await Promise.all(services.map((svc) => svc.ready({ timeoutMs: 30_000 })));
      const api = () => ks.status().api!;
      const atStart = api();
      let ksEarly = atStart;
      const picks = await timeEach(RESOLVES, (i) => {
        if (i === EARLY) ksEarly = api();
        return services[i % SERVICES]!.pick();
      });
      run = { picks, atStart, ksEarly, atEnd: api() };
      caches = Object.values(ks.status().watches);
    } finally {
      await ks.close();
    }
    const { picks, atStart, ksEarly, atEnd } = run;
    const lists = caches.reduce((sum, cache) => sum + cache.lists, 0);

    const sent = (s: { requests: number; watches: number }): number => s.requests + s.watches;
    const ksDuring = sent(atEnd) - sent(atStart);
    const ksTotal = sent(atEnd);
    const KUBESMART = 'kubesmart: svc.pick() on shared watch caches';
    const rows: Row[] = [
      {
        name: KUBESMART,
        measurement: latencies(picks),
        note: `${fmt(ksTotal)} requests in all, ${fmt(ksDuring)} while resolving (${fmt(sent(ksEarly) - sent(atStart))} after ${fmt(EARLY)})`,
      },
      {
        name: '8 s TTL cache (kubeSmartService)',
        measurement: latencies(ttl),
        baseline: KUBESMART,
        note: `${fmt(ttlRequests)} requests (${fmt(ttlEarly)} after ${fmt(EARLY)} resolves); virtual time`,
      },
      {
        name: 're-list per resolve (k8skv)',
        measurement: latencies(relist),
        baseline: KUBESMART,
        note: `${fmt(relistRequests)} requests (${fmt(relistEarly)} after ${fmt(EARLY)} resolves)`,
      },
    ];
    const constant = ksDuring === 0;
    const verdicts = [
      `kubesmart: ${fmt(ksTotal)} requests in all (${atEnd.watches} watches and ${lists} lists for ${caches.length} shared caches, ${atEnd.requests - lists} access reviews of the start-up permission check), all sent before the first resolve; ${fmt(ksDuring)} during the ${fmt(RESOLVES)} resolves. Goal (constant, independent of calls): ${constant ? 'met' : 'NOT met'}.`,
      `re-list per resolve: ${fmt(relistRequests)} requests, one per call (${(relistRequests / ksTotal).toFixed(0)}x kubesmart's total), each on the caller's path.`,
      `8 s TTL: ${fmt(ttlRequests)} requests (${(ttlRequests / ksTotal).toFixed(1)}x kubesmart's): ${SERVICES} services x one re-list per ${TTL_MS / 1000} s of the ${RESOLVES / RESOLVES_PER_SECOND} s the resolves span, growing with time for as long as calls come; each re-list a request on the caller's path (its p99).`,
      'kubesmart over time: no request per resolve; a watch is re-opened when the server ends it (kubesmart asks for 5-10 min), so over these 100 s it is the same count, and over an hour about 2 x 6-12 re-watches for the 2 caches, whatever the call rate.',
    ];
    return {
      heading: `API requests while resolving ${fmt(RESOLVES)} times over ${SERVICES} services`,
      text:
        `Emulated API server over TLS; ${SERVICES} Services with one EndpointSlice of ${ENDPOINTS} endpoints each, resolved in turn, one at a time. ` +
        'Each row: latency (ns) of every resolve, timed one by one (the timer adds ~100 ns, so see the pick() section for pick() itself); ratio of medians to kubesmart. Requests are counted by the client that sends them ' +
        `(kubesmart's include its start-up). The TTL cache runs on a virtual clock: resolves arrive at ${RESOLVES_PER_SECOND}/s of virtual time ` +
        `(${fmt(RESOLVES)} resolves = ${RESOLVES / RESOLVES_PER_SECOND} s), and every expiry sends a real list; kubeSmartService sent 3 requests per refresh ` +
        '(Service, Endpoints, pods), counted here as 1.',
      rows,
      verdicts,
    };
  } finally {
    await cluster.close();
  }
}
