/** One list a query read, as `explain()` reports it. */
export interface ExplainedStep {
  readonly source: 'api' | 'watch-cache';
  /** Undefined: every namespace (or a cluster-scoped kind). */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** The first request sent (path and query), for API steps. */
  readonly request: string | undefined;
  readonly requests: number;
  readonly objects: number;
}

/** How a query ran: what the API server filtered, what ran here, and what it cost. */
export interface QueryExplanation {
  /** The query in words. */
  readonly query: string;
  readonly steps: readonly ExplainedStep[];
  /** Selectors sent to the API server. */
  readonly serverSide: {
    readonly labelSelector: string | undefined;
    readonly fieldSelector: string | undefined;
  };
  /** Filters that ran here, by description. */
  readonly local: readonly string[];
  readonly notes: readonly string[];
  /** Requests sent, every page and the parents of joins included. */
  readonly requests: number;
  readonly objectsTransferred: number;
  readonly objectsFromCache: number;
  readonly matched: number;
  /** For joins: how the parent query ran, and each narrowed child query. */
  readonly join?: {
    readonly description: string;
    readonly parent: QueryExplanation;
    readonly queries: readonly QueryExplanation[];
  };
  /** The same as indented text. */
  readonly text: string;
}
