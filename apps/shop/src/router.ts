import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, type ShopContext, type ShopHandler, sendJson } from './httpExchange.js';

/** What a route sees: path parameters, the query and the raw request. */
export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly req: IncomingMessage;
}

/** A route answers with a status and a JSON body. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

export type RouteFn = (request: RouteRequest) => RouteResult | Promise<RouteResult>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly fn: RouteFn;
}

/**
 * A small method + path router for the shop services: patterns like `/cart/:user/remove/:product`,
 * tried in the order they were added. Unknown paths get 404, known paths with another method 405.
 */
export class Router {
  readonly #routes: Route[] = [];

  add(method: string, pattern: string, fn: RouteFn): this {
    this.#routes.push({ method, segments: pattern.split('/').filter(Boolean), fn });
    return this;
  }

  /** The `node:http` handler; `defaultPod` names the pod when no context is given. */
  handler(defaultPod: string): ShopHandler {
    return async (req: IncomingMessage, res: ServerResponse, ctx?: ShopContext) => {
      const pod = ctx?.pod ?? defaultPod;
      try {
        const url = new URL(req.url ?? '/', 'http://shop.local');
        const { route, params, pathMatched } = this.#match(req.method ?? 'GET', url.pathname);
        if (route === undefined) {
          if (pathMatched) throw new HttpError(405, `method ${req.method} is not allowed on ${url.pathname}`);
          throw new HttpError(404, `no route for ${req.method} ${url.pathname}`);
        }
        const result = await route.fn({ params, query: url.searchParams, req });
        sendJson(res, result.status, result.body, pod);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        if (!res.headersSent) sendJson(res, status, { error: message }, pod);
        else res.destroy();
      }
    };
  }

  #match(
    method: string,
    pathname: string,
  ): { route: Route | undefined; params: Record<string, string>; pathMatched: boolean } {
    const parts = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.#routes) {
      const params = matchSegments(route.segments, parts);
      if (params === undefined) continue;
      pathMatched = true;
      if (route.method === method || (method === 'HEAD' && route.method === 'GET')) {
        return { route, params, pathMatched };
      }
    }
    return { route: undefined, params: {}, pathMatched };
  }
}

function matchSegments(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    const part = parts[i]!;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(part);
      } catch {
        return undefined;
      }
    } else if (p !== part) return undefined;
  }
  return params;
}
