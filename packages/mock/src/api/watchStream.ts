import type { ServerResponse } from 'node:http';
import type { FaultInjector } from '../faults/faults.js';
import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject, WatchEvent } from '../types.js';
import { queryFlag } from './requestInfo.js';
import { compileSelection } from './resourceApi.js';
import { toTable } from './tables.js';

export interface WatchTimings {
  /** How often a watch that allows bookmarks gets one. */
  bookmarkIntervalMs: number;
  /** How long a watch may stay quiet before a bare newline is sent to keep it open. */
  keepAliveMs: number;
}

export interface WatchRequest {
  store: ObjectStore;
  faults: FaultInjector;
  resource: ResourceType;
  namespace: string | undefined;
  query: URLSearchParams;
  response: ServerResponse;
  timings: WatchTimings;
  /** Send each object as a one-row Table (kubectl get -w); headers only in the first event. */
  asTable?: boolean;
}

/** Translates a store change into what a watcher with selectors must see (ADDED/DELETED on transitions). */
function eventFor(change: StoreEvent, matches: (obj: KubeObject) => boolean): WatchEvent | undefined {
  const now = matches(change.object);
  if (change.type !== 'MODIFIED') return now ? { type: change.type, object: change.object } : undefined;
  const before = change.previous ? matches(change.previous) : true;
  if (now && before) return { type: 'MODIFIED', object: change.object };
  if (now) return { type: 'ADDED', object: change.object };
  if (before) return { type: 'DELETED', object: change.object };
  return undefined;
}

function parseResourceVersion(text: string | null): number | undefined {
  if (text === null || text === '' || text === '0') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw badRequest(`invalid resource version: ${text}`);
  return value;
}

/**
 * Serves one watch: 200 at once, then one JSON event per line, bookmarks when allowed, a newline as
 * keep-alive, the end after `timeoutSeconds`. A start older than the retained history is answered with
 * an ERROR event carrying 410 Expired, as kube-apiserver does.
 */
export function serveWatch(request: WatchRequest): void {
  const { store, faults, resource, namespace, query, response, timings } = request;
  const selection = compileSelection(resource, {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
  });
  const since = parseResourceVersion(query.get('resourceVersion'));
  const bookmarks = queryFlag(query, 'allowWatchBookmarks');
  const timeoutSeconds = Number(query.get('timeoutSeconds') ?? 0);

  response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
  response.flushHeaders();

  let stalled = false;
  let closed = false;
  let lastWrite = Date.now();
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;

  let headersSent = false;
  const encode = (event: WatchEvent): unknown => {
    if (!request.asTable || event.type === 'BOOKMARK' || event.type === 'ERROR') return event;
    const table = toTable(resource, [event.object as KubeObject], {}) as { columnDefinitions?: unknown };
    if (headersSent) table.columnDefinitions = [];
    headersSent = true;
    return { type: event.type, object: table };
  };
  const write = (event: WatchEvent): void => {
    if (stalled || closed) return;
    lastWrite = Date.now();
    response.write(`${JSON.stringify(encode(event))}\n`);
  };
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const timer of timers) clearInterval(timer);
    unsubscribe?.();
    tracked.untrack();
    if (!response.writableEnded) response.end();
  };
  const fail = (error: KubeApiError): void => {
    write({ type: 'ERROR', object: error.toStatus() });
    close();
  };

  const tracked = faults.trackWatch({
    match: { resource: resource.plural, namespace },
    drop: close,
    stall: () => {
      stalled = true;
    },
  });
  stalled = tracked.stalled;
  response.on('close', close);

  if (faults.takeWatchExpiry(resource.plural, namespace)) {
    fail(new KubeApiError('Expired', `too old resource version: ${since ?? 0} (${store.revision})`));
    return;
  }

  let from = since;
  if (from === undefined) {
    for (const obj of store.list(resource, namespace)) {
      if (selection.matches(obj)) write({ type: 'ADDED', object: obj });
    }
    from = store.revision;
  }
  try {
    unsubscribe = store.watch(resource, namespace, from, (change) => {
      const event = eventFor(change, selection.matches);
      if (event) write(event);
    });
  } catch (error) {
    if (error instanceof KubeApiError) fail(error);
    else throw error;
    return;
  }

  if (bookmarks) {
    timers.push(
      setInterval(() => {
        write({
          type: 'BOOKMARK',
          object: {
            kind: resource.kind,
            apiVersion: resource.apiVersion,
            metadata: { resourceVersion: String(store.revision) },
          },
        });
      }, timings.bookmarkIntervalMs),
    );
  }
  timers.push(
    setInterval(
      () => {
        if (!stalled && !closed && Date.now() - lastWrite >= timings.keepAliveMs) {
          lastWrite = Date.now();
          response.write('\n');
        }
      },
      Math.max(10, Math.floor(timings.keepAliveMs / 2)),
    ),
  );
  if (timeoutSeconds > 0) timers.push(setTimeout(close, timeoutSeconds * 1000));
}
