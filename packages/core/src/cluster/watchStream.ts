import type { IncomingMessage } from 'node:http';
import { KubeAPIUnavailableError, KubeSmartError } from '../errors.js';
import type { Clock } from '../types.js';
import type { Settle } from './httpExchange.js';
import { errorFromStatus, type RequestContext, unreachableError } from './kubeErrors.js';
import type { WatchEvent } from './kubeObject.js';
import { LineSplitter } from './lineSplitter.js';

export interface WatchStreamOptions {
  ctx: RequestContext;
  clock: Clock;
  onEvent: (event: WatchEvent) => void;
  /** Settle with a stall error when no byte arrives for this long, in ms. */
  idleTimeoutMs: number | undefined;
  /** Called for every chunk received (events, bookmarks and keep-alive newlines alike). */
  onBytes?: (() => void) | undefined;
}

/**
 * Reads an accepted watch response: one JSON event per line, blank keep-alive lines skipped, chunk
 * boundaries anywhere. Settles on the end of the stream, on an ERROR event (mapped, 410 included), on a
 * line that is not JSON, or when the stream goes quiet for `idleTimeoutMs`.
 */
export function readWatchStream(res: IncomingMessage, settle: Settle, options: WatchStreamOptions): void {
  const { ctx, clock, onEvent, idleTimeoutMs, onBytes } = options;
  const lines = new LineSplitter();
  let lastByteAt = clock.now();
  let idleTimer: unknown;
  const checkIdle = (): void => {
    if (idleTimeoutMs === undefined) return;
    const quietMs = clock.now() - lastByteAt;
    if (quietMs < idleTimeoutMs) {
      idleTimer = clock.setTimeout(checkIdle, idleTimeoutMs - quietMs, { unref: true });
      return;
    }
    const stall = unreachableError(
      undefined,
      ctx,
      `the watch stalled: no byte for ${Math.round(quietMs)} ms`,
    );
    settle(new KubeAPIUnavailableError(stall.message, { details: { ...stall.details, stalled: true } }));
  };
  if (idleTimeoutMs !== undefined) idleTimer = clock.setTimeout(checkIdle, idleTimeoutMs, { unref: true });
  res.once('close', () => clock.clearTimeout(idleTimer));
  const deliver = (line: string): void => {
    const event = JSON.parse(line) as WatchEvent;
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number };
      settle(errorFromStatus(status.code ?? 500, event.object as object, ctx));
    } else onEvent(event);
  };
  const deliverAll = (batch: string[], problem: string): boolean => {
    try {
      for (const line of batch) deliver(line);
      return true;
    } catch (error) {
      settle(error instanceof KubeSmartError ? error : unreachableError(error, ctx, problem));
      return false;
    }
  };
  res.on('data', (chunk: Buffer) => {
    lastByteAt = clock.now();
    onBytes?.();
    deliverAll(lines.push(chunk), 'the watch sent a line that is not JSON');
  });
  res.on('end', () => {
    if (deliverAll(lines.end(), 'the watch ended with a line that is not JSON')) settle(undefined);
  });
}
