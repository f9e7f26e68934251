import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { ClosedError, InvalidArgumentError, KubeAPIUnavailableError, KubeSmartError } from '../errors.js';
import { assertRange, withDefaults } from '../options.js';
import { type Clock, type Logger, noopLogger, systemClock } from '../types.js';
import {
  errorFromResponse,
  errorFromStatus,
  type RequestContext,
  retryAfterOf,
  statusOf,
  unreachableError,
} from './kubeErrors.js';
import type { WatchEvent } from './kubeObject.js';
import { LineSplitter } from './lineSplitter.js';
import { sleep } from './sleep.js';

export interface KubeClientOptions {
  /** Where the API server is and how to authenticate: client-node's `KubeConfig`. */
  kubeConfig: KubeConfig;
  /** @default a logger that drops everything */
  logger?: Logger;
  /** @default the system clock */
  clock?: Clock;
  /**
   * Time a request (or a watch, until its response headers) may take, in ms.
   * @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * How many times `request()` retries a GET answered 429 or 503 with a `Retry-After` header,
   * after waiting what the server asked. 0 disables it.
   * @default 2
   */
  retryAfterRetries?: number;
  /**
   * Longest `Retry-After` wait `request()` honours by itself, in ms; a longer one fails at once.
   * @default 10000
   */
  maxRetryAfterMs?: number;
  /** @default 'kubesmart' */
  userAgent?: string;
}

export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface KubeRequestOptions {
  query?: QueryParams;
  /** A JSON body (serialized here) or a string sent as is. */
  body?: unknown;
  /** @default 'application/json' when there is a body */
  contentType?: string;
  signal?: AbortSignal;
  /** @default the client's `requestTimeoutMs` */
  timeoutMs?: number;
  /** @default the client's `retryAfterRetries` */
  retryAfterRetries?: number;
}

export interface KubeWatchOptions {
  /** Fail the watch with a stall error when no byte (event, bookmark or keep-alive) arrives for this long, in ms. */
  idleTimeoutMs?: number;
  /** Called once the server accepted the watch (200 and headers). */
  onOpen?: () => void;
}

/** Requests sent since the client was made. */
export interface KubeClientStats {
  /** Requests other than watches. */
  requests: number;
  watches: number;
  /** Requests and watches that failed (error status, no answer, cut stream). */
  failures: number;
}

const DEFAULTS: Readonly<Required<Omit<KubeClientOptions, 'kubeConfig'>>> = Object.freeze({
  logger: noopLogger,
  clock: systemClock,
  requestTimeoutMs: 30_000,
  retryAfterRetries: 2,
  maxRetryAfterMs: 10_000,
  userAgent: 'kubesmart',
});

type Settle = (error: unknown, value?: unknown) => void;

/**
 * A small HTTP client for the Kubernetes API over the auth and transport of a `KubeConfig`
 * (`applyToHTTPSOptions` with `node:https`/`node:http`), so watch bytes are ours to read. Every failure
 * is a `KubeSmartError` (see `errorFromStatus`).
 */
export class KubeClient {
  /** The API server URL of the current context. */
  readonly server: string;
  readonly #kubeConfig: KubeConfig;
  readonly #options: Omit<Required<KubeClientOptions>, 'kubeConfig'>;
  readonly #open = new Set<http.ClientRequest>();
  readonly #stats: KubeClientStats = { requests: 0, watches: 0, failures: 0 };
  #closed = false;

  constructor(options: KubeClientOptions) {
    const { kubeConfig, ...rest } = options;
    this.#options = withDefaults(DEFAULTS, rest);
    assertRange('KubeClient', 'requestTimeoutMs', this.#options.requestTimeoutMs, 1);
    assertRange('KubeClient', 'retryAfterRetries', this.#options.retryAfterRetries, 0);
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) {
      throw new InvalidArgumentError(
        'KubeClient: the KubeConfig has no current cluster with a server; load one with loadKubeConfig().',
      );
    }
    this.server = server.replace(/\/+$/, '');
    this.#kubeConfig = kubeConfig;
  }

  stats(): KubeClientStats {
    return { ...this.#stats };
  }

  /** Sends one request and parses the JSON answer; GETs answered 429/503 with `Retry-After` are retried. */
  async request<T>(method: string, path: string, options: KubeRequestOptions = {}): Promise<T> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return (await this.#send(method, path, options)) as T;
      } catch (error) {
        const waitS = retryAfterOf(error);
        const status = statusOf(error);
        const retryable = method === 'GET' && (status === 429 || status === 503) && waitS !== undefined;
        if (
          !retryable ||
          attempt >= (options.retryAfterRetries ?? this.#options.retryAfterRetries) ||
          waitS * 1000 > this.#options.maxRetryAfterMs
        ) {
          throw error;
        }
        this.#options.logger.debug(
          { path, status, retryAfterSeconds: waitS },
          'kube api asked to retry later',
        );
        await sleep(this.#options.clock, waitS * 1000, options.signal);
      }
    }
  }

  /**
   * Watches a collection: calls `onEvent` for each ADDED/MODIFIED/DELETED/BOOKMARK line, skipping
   * keep-alive newlines. Resolves when the server ends the stream; rejects on an error status, an
   * ERROR event (410 Expired included), a cut connection, a stall, or when `signal` aborts.
   */
  watch(
    path: string,
    query: QueryParams,
    onEvent: (event: WatchEvent) => void,
    signal?: AbortSignal,
    options: KubeWatchOptions = {},
  ): Promise<void> {
    const ctx = this.#context('GET', path, { ...query, watch: true });
    this.#stats.watches += 1;
    const watching = this.#exchange(ctx, { signal }, (res, settle) => {
      const lines = new LineSplitter();
      const { clock } = this.#options;
      let lastByteAt = clock.now();
      let idleTimer: unknown;
      const idleMs = options.idleTimeoutMs;
      const checkIdle = (): void => {
        const quietMs = clock.now() - lastByteAt;
        if (idleMs === undefined) return;
        if (quietMs < idleMs) {
          idleTimer = clock.setTimeout(checkIdle, idleMs - quietMs, { unref: true });
          return;
        }
        const stall = unreachableError(
          undefined,
          ctx,
          `the watch stalled: no byte for ${Math.round(quietMs)} ms`,
        );
        settle(new KubeAPIUnavailableError(stall.message, { details: { ...stall.details, stalled: true } }));
      };
      if (idleMs !== undefined) idleTimer = clock.setTimeout(checkIdle, idleMs, { unref: true });
      res.once('close', () => clock.clearTimeout(idleTimer));
      const deliver = (line: string): void => {
        const event = JSON.parse(line) as WatchEvent;
        if (event.type === 'ERROR') {
          const status = event.object as { code?: number };
          settle(errorFromStatus(status.code ?? 500, event.object as object, ctx));
        } else onEvent(event);
      };
      options.onOpen?.();
      res.on('data', (chunk: Buffer) => {
        lastByteAt = clock.now();
        try {
          for (const line of lines.push(chunk)) deliver(line);
        } catch (error) {
          settle(
            error instanceof KubeSmartError
              ? error
              : unreachableError(error, ctx, 'the watch sent a line that is not JSON'),
          );
        }
      });
      res.on('end', () => {
        try {
          for (const line of lines.end()) deliver(line);
          settle(undefined);
        } catch (error) {
          settle(unreachableError(error, ctx, 'the watch ended with a line that is not JSON'));
        }
      });
    });
    return watching.then(() => undefined);
  }

  /** Aborts every request and watch in flight; later calls fail with {@link ClosedError}. */
  close(): void {
    this.#closed = true;
    for (const req of this.#open) req.destroy(new ClosedError('the Kubernetes client was closed'));
    this.#open.clear();
  }

  #context(method: string, path: string, query: QueryParams | undefined): RequestContext {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {}))
      if (value !== undefined) params.set(key, String(value));
    return { server: this.server, method, path, query: params };
  }

  #send(method: string, path: string, options: KubeRequestOptions): Promise<unknown> {
    const ctx = this.#context(method, path, options.query);
    this.#stats.requests += 1;
    return this.#exchange(ctx, options, (res, settle) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          settle(undefined, text === '' ? undefined : JSON.parse(text));
        } catch (error) {
          settle(unreachableError(error, ctx, 'the answer is not JSON'));
        }
      });
    });
  }

  /**
   * Sends a request and hands a 2xx response to `onOk`; maps everything else. One place for the
   * timeout (until a 2xx response for watches, the whole exchange otherwise), abort and cleanup.
   */
  async #exchange(
    ctx: RequestContext,
    options: KubeRequestOptions,
    onOk: (res: http.IncomingMessage, settle: Settle) => void,
  ): Promise<unknown> {
    if (this.#closed) throw new ClosedError('the Kubernetes client was closed; create a new one');
    const { signal } = options;
    const isWatch = ctx.query?.get('watch') === 'true';
    const body =
      options.body === undefined || typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
    const reqOptions: https.RequestOptions = {
      method: ctx.method,
      headers: {
        Accept: 'application/json',
        'User-Agent': this.#options.userAgent,
        ...(body === undefined
          ? {}
          : {
              'Content-Type': options.contentType ?? 'application/json',
              'Content-Length': Buffer.byteLength(body),
            }),
      },
    };
    try {
      await this.#kubeConfig.applyToHTTPSOptions(reqOptions);
    } catch (error) {
      this.#stats.failures += 1;
      throw unreachableError(error, ctx, `the KubeConfig could not be applied: ${(error as Error).message}`);
    }
    const query = ctx.query?.toString();
    const url = new URL(`${this.server}${ctx.path}${query ? `?${query}` : ''}`);
    const { clock } = this.#options;
    return new Promise((resolve, reject) => {
      let settled = false;
      const send = url.protocol === 'http:' ? http.request : https.request;
      const req = send(url, reqOptions, (res) => {
        const status = res.statusCode ?? 0;
        res.on('error', (error) => settle(unreachableError(error, ctx, 'the connection was cut')));
        res.once('close', () => {
          if (!res.complete) settle(unreachableError(undefined, ctx, 'the connection was cut mid-answer'));
        });
        if (status >= 200 && status < 300) {
          if (isWatch) clock.clearTimeout(timer);
          onOk(res, settle);
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          settle(errorFromResponse(status, Buffer.concat(chunks).toString('utf8'), ctx, retryAfter));
        });
      });
      const onAbort = (): void => {
        settle(signal?.reason instanceof Error ? signal.reason : new ClosedError('the request was aborted'));
      };
      const timeoutMs = options.timeoutMs ?? this.#options.requestTimeoutMs;
      const timer = clock.setTimeout(
        () => settle(unreachableError(undefined, ctx, `no answer within ${timeoutMs} ms`)),
        timeoutMs,
        { unref: true },
      );
      function settle(error: unknown, value?: unknown): void {
        if (settled) return;
        settled = true;
        clock.clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        openRequests.delete(req);
        if (error === undefined) {
          resolve(value);
          req.destroy();
          return;
        }
        stats.failures += 1;
        req.destroy();
        reject(error);
      }
      const openRequests = this.#open;
      const stats = this.#stats;
      openRequests.add(req);
      req.on('error', (error) => settle(error instanceof ClosedError ? error : unreachableError(error, ctx)));
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
      req.end(body);
    });
  }
}
