import type { KubeClient } from '../../cluster/kubeClient.js';
import type { KubeList, KubeObject } from '../../cluster/kubeObject.js';
import { type ResourceRef, resourcePath } from '../../cluster/resources.js';
import { ExpiredError } from '../../errors.js';
import type { PlanStep, QueryPlan } from './queryPlan.js';

/** What running a plan cost. */
export interface RunStats {
  /** List requests sent (one per page). */
  requests: number;
  /** Objects the API server sent. */
  objectsTransferred: number;
  /** Objects read from watch caches. */
  objectsFromCache: number;
}

/** One step as it ran. */
export interface StepRun {
  readonly step: PlanStep;
  /** The first request, as a path with its query. */
  readonly request: string | undefined;
  readonly requests: number;
  readonly objects: number;
}

export interface RunOptions<W> {
  readonly client: KubeClient;
  readonly ref: ResourceRef;
  readonly pageSize: number;
  /** Wraps and checks one object (after `plan.matches`); undefined drops it. */
  readonly accept: (object: KubeObject) => W | undefined;
  /** Stop once this many objects were accepted. */
  readonly take?: number | undefined;
}

export interface RunResult<W> {
  readonly items: W[];
  readonly stats: RunStats;
  readonly steps: readonly StepRun[];
}

function requestText(path: string, query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Runs a plan: each API step is a paged list (`limit`/`continue`; an expired continue token lists the
 * step again once), each cache step a read of the cache. Stops early once `take` objects matched.
 */
export async function runPlan<W>(plan: QueryPlan, options: RunOptions<W>): Promise<RunResult<W>> {
  const stats: RunStats = { requests: 0, objectsTransferred: 0, objectsFromCache: 0 };
  const items: W[] = [];
  const steps: StepRun[] = [];
  const full = (): boolean => options.take !== undefined && items.length >= options.take;
  const consider = (object: KubeObject): void => {
    if (full() || !plan.matches(object)) return;
    const accepted = options.accept(object);
    if (accepted !== undefined) items.push(accepted);
  };
  for (const step of plan.steps) {
    if (full()) break;
    if (step.source === 'cache' && step.cache) {
      const objects = step.cache.items();
      stats.objectsFromCache += objects.length;
      for (const object of objects) consider(object);
      steps.push({ step, request: undefined, requests: 0, objects: objects.length });
      continue;
    }
    const path = resourcePath(options.ref, step.namespace);
    let requests = 0;
    let objects = 0;
    let first: string | undefined;
    for (let attempt = 0; ; attempt += 1) {
      const before = items.length;
      try {
        let token: string | undefined;
        do {
          const wanted = options.take === undefined ? undefined : options.take - items.length;
          const limit =
            plan.exact && wanted !== undefined ? Math.min(options.pageSize, wanted) : options.pageSize;
          const query = {
            labelSelector: step.labelSelector,
            fieldSelector: step.fieldSelector,
            limit,
            continue: token,
          };
          first ??= requestText(path, query);
          requests += 1;
          stats.requests += 1;
          const page = await options.client.request<KubeList>('GET', path, { query });
          const pageItems = page.items ?? [];
          objects += pageItems.length;
          stats.objectsTransferred += pageItems.length;
          for (const object of pageItems) consider(object);
          token = page.metadata?.continue || undefined;
        } while (token && !full());
        break;
      } catch (error) {
        // A continue token older than the server keeps: list this step again from the start, once.
        if (!(error instanceof ExpiredError) || attempt > 0) throw error;
        items.length = before;
      }
    }
    steps.push({ step, request: first, requests, objects });
  }
  return { items, stats, steps };
}
