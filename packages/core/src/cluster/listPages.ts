import type { KubeClient } from './kubeClient.js';
import type { KubeList, KubeObject } from './kubeObject.js';
import { resourcePath } from './resources.js';
import type { WatchScope } from './watchScope.js';

export interface ListResult<T extends KubeObject> {
  items: T[];
  /** The list's resourceVersion: watch from here to see every later change. */
  resourceVersion: string | undefined;
}

export interface ListPagesOptions {
  /** Items per page (`limit`). */
  pageSize: number;
  signal?: AbortSignal | undefined;
  /** Retries of a 429/503 with `Retry-After` inside one page request. @default the client's */
  retryAfterRetries?: number;
}

/**
 * Lists every object of a scope, page by page (`limit`/`continue`). A continue token that expired
 * fails with a 410 error: the caller lists again from the start.
 */
export async function listPages<T extends KubeObject>(
  client: KubeClient,
  scope: WatchScope,
  options: ListPagesOptions,
): Promise<ListResult<T>> {
  const path = resourcePath(scope.resource, scope.namespace);
  const items: T[] = [];
  let token: string | undefined;
  let resourceVersion: string | undefined;
  do {
    const page = await client.request<KubeList<T>>('GET', path, {
      query: {
        labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector,
        limit: options.pageSize,
        continue: token,
      },
      signal: options.signal,
      ...(options.retryAfterRetries === undefined ? {} : { retryAfterRetries: options.retryAfterRetries }),
    });
    for (const item of page.items ?? []) items.push(item);
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
    token = page.metadata?.continue || undefined;
  } while (token);
  return { items, resourceVersion };
}
