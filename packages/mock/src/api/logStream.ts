import type http from 'node:http';
import type { LogsOptions } from '../pods/podFleetTypes.js';
import { queryFlag } from './requestInfo.js';

/** Follows one container's log: see `PodFleet.followLogs`. */
export type LogFollower = (
  namespace: string,
  name: string,
  options: LogsOptions,
  onText: (text: string) => void,
  onEnd: () => void,
) => () => void;

/** The `pods/{name}/log` query as kubectl, client-node and the Python client send it. */
export function logQuery(query: URLSearchParams): LogsOptions {
  const tail = query.get('tailLines');
  const since = query.get('sinceSeconds');
  return {
    ...(query.get('container') ? { container: query.get('container') ?? '' } : {}),
    ...(tail ? { tailLines: Number(tail) } : {}),
    ...(since ? { sinceSeconds: Number(since) } : {}),
    ...(queryFlag(query, 'timestamps') ? { timestamps: true } : {}),
  };
}

/**
 * `GET pods/{name}/log?follow=true`: a chunked text/plain answer that carries the log so far, then
 * every line appended, and ends when the pod goes away; the client leaving stops the follow. An
 * unknown container throws before anything is written, so it is answered as a Status.
 */
export function serveLogStream(
  response: http.ServerResponse,
  follow: LogFollower,
  target: { namespace: string; name: string; query: URLSearchParams },
): void {
  let started = false;
  const pending: string[] = [];
  let ended = false;
  const stop = follow(
    target.namespace,
    target.name,
    logQuery(target.query),
    (text) => {
      if (started) response.write(text);
      else pending.push(text);
    },
    () => {
      ended = true;
      if (started) response.end();
    },
  );
  response.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  response.flushHeaders();
  started = true;
  for (const text of pending) response.write(text);
  if (ended) response.end();
  response.on('close', stop);
}
