import type http from 'node:http';
import type https from 'node:https';
import type { Writable } from 'node:stream';
import type { KubeConfig } from '@kubernetes/client-node';
import { systemClock } from '../clock.js';
import { ClosedError, InvalidArgumentError } from '../errors.js';
import { noopLogger } from '../logger.js';
import { assertRange, withDefaults } from '../options.js';
import type { Clock, Logger } from '../types.js';
import { exchange, type Settle } from './httpExchange.js';
import { KeepAliveAgents } from './keepAliveAgents.js';
import { type RequestContext, retryAfterOf, statusOf, unreachableError } from './kubeErrors.js';
import type { WatchEvent } from './kubeObject.js';
import { sleep } from './sleep.js';
import { readWatchStream } from './watchStream.js';

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
  /** `'text'` returns the body as is (pod logs) instead of parsing JSON. @default 'json' */
  responseType?: 'json' | 'text';
}

export interface KubeWatchOptions {
  /** Fail the watch with a stall error when no byte (event, bookmark or keep-alive) arrives for this long, in ms. */
  idleTimeoutMs?: number;
  /** Called once the server accepted the watch (200 and headers). */
  onOpen?: () => void;
  /** Called for every chunk the watch brings: an event, a bookmark or a keep-alive newline. */
  onBytes?: () => void;
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
  readonly #agents = new KeepAliveAgents();
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

  /** The KubeConfig requests authenticate with (for protocols this client does not speak, like exec). */
  get kubeConfig(): KubeConfig {
    return this.#kubeConfig;
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
      options.onOpen?.();
      readWatchStream(res, settle, {
        ctx,
        clock: this.#options.clock,
        onEvent,
        idleTimeoutMs: options.idleTimeoutMs,
        onBytes: options.onBytes,
      });
    });
    return watching.then(() => undefined);
  }

  /**
   * Streams a GET's body into `sink` as it arrives (pod logs, `follow` included), with backpressure:
   * while `sink` is full the response is paused, so the API server's stream waits. The timeout runs
   * until the response starts. Resolves when the body ended and `sink` took it all (`sink` is not
   * ended: the caller decides); rejects on an error status, a cut connection, a failing sink, or when
   * `signal` aborts.
   */
  streamTo(
    path: string,
    query: QueryParams,
    sink: Writable,
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<void> {
    const ctx = this.#context('GET', path, query);
    this.#stats.requests += 1;
    const streaming = this.#exchange(
      ctx,
      options,
      (res, settle) => {
        const onSinkError = (error: unknown): void => settle(error);
        sink.once('error', onSinkError);
        res.on('data', (chunk: Buffer) => {
          if (!sink.write(chunk)) {
            res.pause();
            sink.once('drain', () => res.resume());
          }
        });
        res.once('end', () => {
          sink.off('error', onSinkError);
          settle(undefined);
        });
      },
      true,
    );
    return streaming.then(() => undefined);
  }

  /** Aborts every request and watch in flight; later calls fail with {@link ClosedError}. */
  close(): void {
    this.#closed = true;
    for (const req of this.#open) req.destroy(new ClosedError('the Kubernetes client was closed'));
    this.#open.clear();
    this.#agents.destroy();
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
          if (options.responseType === 'text') settle(undefined, text);
          else settle(undefined, text === '' ? undefined : JSON.parse(text));
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
    timeoutUntilResponse = ctx.query?.get('watch') === 'true',
  ): Promise<unknown> {
    if (this.#closed) throw new ClosedError('the Kubernetes client was closed; create a new one');
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
      this.#agents.apply(reqOptions);
    } catch (error) {
      this.#stats.failures += 1;
      throw unreachableError(error, ctx, `the KubeConfig could not be applied: ${(error as Error).message}`);
    }
    const query = ctx.query?.toString();
    return exchange(
      {
        ctx,
        url: new URL(`${this.server}${ctx.path}${query ? `?${query}` : ''}`),
        requestOptions: reqOptions,
        body,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.#options.requestTimeoutMs,
        timeoutUntilResponse,
        clock: this.#options.clock,
        inFlight: this.#open,
        onFailure: () => {
          this.#stats.failures += 1;
        },
      },
      onOk,
    );
  }
}
