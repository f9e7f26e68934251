import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import type { KubeSmart, Logger, Random } from '@kubesmart/core';
import { fullJitterBackoff, noopLogger, TypedEmitter } from '@kubesmart/core/building-blocks';
import WebSocket from 'ws';
import { fetchPinnedCa } from './caPin.js';
import { ClusterOperations, OperationError } from './clusterOperations.js';
import {
  AGENT_CONNECT_PATH,
  type AgentFrame,
  type ErrorBody,
  encodeFrame,
  type HubFrame,
  isOperation,
  OPERATIONS,
  ParameterError,
  PROTOCOL_DEFAULTS,
  PROTOCOL_VERSION,
  ProtocolError,
  parseHubFrame,
  type RequestFrame,
  STREAMING_OPERATIONS,
  validateParams,
  type WelcomeFrame,
} from './protocol/index.js';

export const AGENT_VERSION = '0.1.0';

export interface AgentOptions {
  /** The hub: `ws://host:port`, `wss://host:port` (the connect path is added), or `http(s)://`. */
  hubUrl: string;
  agentId: string;
  clusterId: string;
  /** The agent credential (`ksa_<id>_<secret>`) from `kubesmart hub agents register`. */
  credential: string;
  /** The cluster this agent answers for. */
  kubeSmart: KubeSmart;
  /** CA certificate(s) (PEM) that signed the hub's certificate, for `wss://`. */
  ca?: string | Buffer | undefined;
  /** SHA-256 fingerprint of the hub's CA certificate, found in the chain the hub presents (instead of `ca`). */
  caSha256?: string | undefined;
  /** Reconnect backoff: full jitter between 0 and min(maxMs, baseMs x 2^attempt). @default { baseMs: 500, maxMs: 10000 } */
  backoff?: { baseMs?: number; maxMs?: number } | undefined;
  /** Largest frame accepted from the hub, in bytes. @default 1 MiB */
  maxFrameBytes?: number;
  /** Bytes of data per log chunk. @default 64 KiB */
  chunkBytes?: number;
  logger?: Logger | undefined;
  random?: Random | undefined;
}

export interface AgentStatus {
  readonly connected: boolean;
  readonly sessionId: string | undefined;
  /** Sessions opened since start. */
  readonly sessions: number;
  /** Connection attempts that failed or ended since the last session began. */
  readonly attempt: number;
  readonly inFlight: number;
}

export type AgentEvents = {
  connected: [{ sessionId: string }];
  disconnected: [{ code: number; reason: string; retryInMs: number }];
  refused: [{ status: number; message: string; retryInMs: number }];
};

/** A log on its way to the hub: pieces wait for the hub's credit, and the log's source waits for them. */
interface Stream {
  credit: number;
  /** Text pieces of at most `chunkBytes` characters not yet sent. */
  pending: string[];
  /** Lets the source write again (the sink's write or final callback), once `pending` is sent. */
  resume: (() => void) | undefined;
  /** The log ended: `end` goes once `pending` is sent. */
  ended: boolean;
  done: boolean;
}

function errorOf(error: unknown): ErrorBody {
  if (error instanceof ParameterError) return { code: 'BAD_PARAMETER', message: error.message };
  if (error instanceof OperationError) return { code: error.code, message: error.message };
  const coded = error as { code?: unknown; message?: unknown };
  if (coded?.code === 'NOT_FOUND' || coded?.code === 'QUERY_NOT_FOUND')
    return { code: 'NOT_FOUND', message: String(coded.message) };
  if (coded?.code === 'FORBIDDEN')
    return {
      code: 'FORBIDDEN',
      message: `the agent's ServiceAccount may not do this: ${String(coded.message)}`,
    };
  return { code: 'AGENT_ERROR', message: `the agent failed: ${String(coded?.message ?? error)}` };
}

/**
 * The cluster agent: dials the hub (no inbound port in the cluster), authenticates with its credential,
 * says hello, and answers the hub's requests concurrently from the query engine. Logs stream back in
 * chunks, never more than the hub's window ahead. It reconnects with full-jitter exponential backoff
 * (0.5 s to 10 s by default) and honours the hub's retry hint, so a hub restart brings no herd.
 */
export class Agent extends TypedEmitter<AgentEvents> {
  readonly #options: AgentOptions;
  readonly #ops: ClusterOperations;
  readonly #logger: Logger;
  readonly #random: Random;
  readonly #maxFrameBytes: number;
  readonly #chunkBytes: number;
  readonly #inFlight = new Map<number, AbortController>();
  readonly #streams = new Map<number, Stream>();
  #socket: WebSocket | undefined;
  #welcome: WelcomeFrame | undefined;
  #sessions = 0;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #watchdog: NodeJS.Timeout | undefined;
  #pinnedCa: string | undefined;
  #closed = false;

  constructor(options: AgentOptions) {
    super(options.logger);
    this.#options = options;
    this.#ops = new ClusterOperations(options.kubeSmart);
    this.#logger = options.logger ?? noopLogger;
    this.#random = options.random ?? Math.random;
    this.#maxFrameBytes = options.maxFrameBytes ?? PROTOCOL_DEFAULTS.maxFrameBytes;
    this.#chunkBytes = options.chunkBytes ?? PROTOCOL_DEFAULTS.chunkBytes;
  }

  /** Starts dialing; returns at once. */
  start(): void {
    if (this.#closed) throw new Error('this agent is closed; create a new one');
    if (!this.#socket && !this.#retryTimer) void this.#connect();
  }

  status(): AgentStatus {
    return {
      connected: this.#welcome !== undefined,
      sessionId: this.#welcome?.sessionId,
      sessions: this.#sessions,
      attempt: this.#attempt,
      inFlight: this.#inFlight.size,
    };
  }

  /** Resolves at the next (or current) welcome from the hub. */
  connected(timeoutMs = 30_000): Promise<void> {
    if (this.#welcome) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onConnected = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.off('connected', onConnected);
        reject(new Error(`agent ${this.#options.agentId} did not connect within ${timeoutMs} ms`));
      }, timeoutMs);
      this.once('connected', onConnected);
    });
  }

  /** Closes the session, stops reconnecting, aborts every request and releases the watch caches. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    clearTimeout(this.#watchdog);
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
    this.#streams.clear();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket && socket.readyState !== WebSocket.CLOSED) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        socket.close(1000, 'agent stopping');
        setTimeout(() => socket.terminate(), 2000).unref();
      });
    }
    this.#ops.close();
    this.removeAllListeners();
  }

  #url(): URL {
    const url = new URL(this.#options.hubUrl);
    if (url.protocol === 'http:') url.protocol = 'ws:';
    if (url.protocol === 'https:') url.protocol = 'wss:';
    if (url.pathname === '/' || url.pathname === '') url.pathname = AGENT_CONNECT_PATH;
    return url;
  }

  async #connect(): Promise<void> {
    this.#retryTimer = undefined;
    if (this.#closed) return;
    const url = this.#url();
    let ca = this.#options.ca;
    if (url.protocol === 'wss:' && !ca && this.#options.caSha256) {
      try {
        this.#pinnedCa ??= await fetchPinnedCa(url.hostname, Number(url.port || 443), this.#options.caSha256);
        ca = this.#pinnedCa;
      } catch (error) {
        this.#logger.error({ err: error }, 'the hub CA pin did not match');
        this.#scheduleRetry(undefined);
        return;
      }
    }
    if (this.#closed) return;
    const socket = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.#options.credential}` },
      maxPayload: this.#maxFrameBytes,
      handshakeTimeout: 10_000,
      perMessageDeflate: false,
      ...(ca ? { ca } : {}),
    });
    this.#socket = socket;
    socket.on('unexpected-response', (_req, res: IncomingMessage) => this.#refused(socket, res));
    socket.on('open', () => {
      const hello: AgentFrame = {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        agentId: this.#options.agentId,
        clusterId: this.#options.clusterId,
        agentVersion: AGENT_VERSION,
        operations: [...OPERATIONS],
      };
      socket.send(encodeFrame(hello));
    });
    socket.on('message', (data, isBinary) => {
      if (isBinary) return this.#protocolError(socket, new ProtocolError('binary frames are not protocol'));
      try {
        this.#handle(socket, parseHubFrame(data as Buffer, this.#maxFrameBytes));
      } catch (error) {
        this.#protocolError(socket, error);
      }
    });
    socket.on('error', (error) => this.#logger.warn({ err: error }, 'hub connection error'));
    socket.on('close', (code, reason) => this.#closedSocket(socket, code, reason.toString()));
  }

  #refused(socket: WebSocket, res: IncomingMessage): void {
    const retryAfter = Number(res.headers['retry-after']);
    const hintMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined;
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      if (body.length < 4096) body += chunk;
    });
    res.on('end', () => {
      let message = body;
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? body;
      } catch {}
      const busy = (res.statusCode === 503 || res.statusCode === 429) && hintMs !== undefined;
      const retryInMs = busy
        ? this.#hintedDelay(hintMs)
        : this.#retryDelay(res.statusCode === 401 || res.statusCode === 403 ? 1e9 : hintMs);
      this.#logger.warn({ status: res.statusCode, message, retryInMs }, 'the hub refused the connection');
      this.emit('refused', { status: res.statusCode ?? 0, message, retryInMs });
      if (this.#socket === socket) this.#socket = undefined;
      socket.terminate();
      this.#scheduleRetry(retryInMs);
    });
  }

  #handle(socket: WebSocket, frame: HubFrame): void {
    this.#feedWatchdog(socket);
    switch (frame.type) {
      case 'welcome':
        this.#welcome = frame;
        this.#sessions += 1;
        this.#attempt = 0;
        this.#logger.info({ sessionId: frame.sessionId }, 'connected to the hub');
        this.emit('connected', { sessionId: frame.sessionId });
        return;
      case 'ping':
        socket.send(encodeFrame({ type: 'pong', nonce: frame.nonce }));
        return;
      case 'request':
        void this.#answer(socket, frame);
        return;
      case 'cancel': {
        this.#inFlight.get(frame.id)?.abort();
        this.#inFlight.delete(frame.id);
        this.#streams.delete(frame.id);
        return;
      }
      case 'credit': {
        const stream = this.#streams.get(frame.id);
        if (stream) {
          stream.credit += frame.chunks;
          this.#pump(socket, frame.id, stream);
        }
        return;
      }
    }
  }

  async #answer(socket: WebSocket, request: RequestFrame): Promise<void> {
    const send = (frame: AgentFrame): void => {
      if (socket.readyState === WebSocket.OPEN && this.#inFlight.has(request.id))
        socket.send(encodeFrame(frame));
    };
    const controller = new AbortController();
    this.#inFlight.set(request.id, controller);
    try {
      if (!isOperation(request.op)) {
        throw new OperationError(
          'UNKNOWN_OPERATION',
          `operation "${request.op}" is not one this agent answers (${OPERATIONS.join(', ')})`,
        );
      }
      if (STREAMING_OPERATIONS.has(request.op)) {
        await this.#streamLogs(socket, request, controller.signal, send);
        return;
      }
      const result = await this.#run(request);
      send({ type: 'response', id: request.id, ok: true, result });
    } catch (error) {
      send({ type: 'response', id: request.id, ok: false, error: errorOf(error) });
    } finally {
      if (!this.#streams.has(request.id)) this.#inFlight.delete(request.id);
    }
  }

  #run(request: RequestFrame): Promise<unknown> {
    switch (request.op) {
      case 'namespaces':
        validateParams('namespaces', request.params);
        return this.#ops.namespaces();
      case 'pods':
        return this.#ops.pods(validateParams('pods', request.params));
      case 'services':
        return this.#ops.services(validateParams('services', request.params));
      default:
        return this.#ops.events(validateParams('events', request.params));
    }
  }

  /**
   * Streams a pod's log as the API server sends it: the response once the pod is found, then chunks
   * as the hub's credit allows. Without credit the sink holds its write, so the API server's stream
   * pauses: at most the window and one chunk are in memory, however large the log.
   */
  async #streamLogs(
    socket: WebSocket,
    request: RequestFrame,
    signal: AbortSignal,
    send: (frame: AgentFrame) => void,
  ): Promise<void> {
    const params = validateParams('logs', request.params);
    const { id } = request;
    const stream: Stream = {
      credit: this.#welcome?.window ?? PROTOCOL_DEFAULTS.window,
      pending: [],
      resume: undefined,
      ended: false,
      done: false,
    };
    const decoder = new StringDecoder('utf8');
    const split = (text: string): void => {
      for (let at = 0; at < text.length; at += this.#chunkBytes) {
        stream.pending.push(text.slice(at, at + this.#chunkBytes));
      }
    };
    const sink = new Writable({
      highWaterMark: this.#chunkBytes,
      write: (chunk: Buffer, _encoding, callback) => {
        split(decoder.write(chunk));
        stream.resume = () => callback();
        this.#pump(socket, id, stream);
      },
      final: (callback) => {
        split(decoder.end());
        stream.ended = true;
        stream.resume = () => callback();
        this.#pump(socket, id, stream);
      },
    });
    const stop = (): void => {
      sink.destroy();
    };
    signal.addEventListener('abort', stop, { once: true });
    let started = false;
    try {
      await this.#ops.logs(
        params,
        sink,
        () => {
          started = true;
          send({ type: 'response', id, ok: true, result: { streaming: true } });
          this.#streams.set(id, stream);
        },
        signal,
      );
      sink.end();
      await finished(sink);
    } catch (error) {
      sink.destroy();
      if (!started) throw error;
      if (this.#streams.delete(id) && socket.readyState === WebSocket.OPEN) {
        socket.send(encodeFrame({ type: 'end', id, error: errorOf(error) }));
      }
    } finally {
      signal.removeEventListener('abort', stop);
      this.#streams.delete(id);
    }
  }

  #pump(socket: WebSocket, id: number, stream: Stream): void {
    if (stream.done || !this.#streams.has(id)) return;
    while (stream.credit > 0 && stream.pending.length > 0 && socket.readyState === WebSocket.OPEN) {
      stream.credit -= 1;
      socket.send(encodeFrame({ type: 'chunk', id, data: stream.pending.shift()! }));
    }
    if (stream.pending.length > 0) return;
    if (stream.ended && socket.readyState === WebSocket.OPEN) {
      stream.done = true;
      this.#streams.delete(id);
      socket.send(encodeFrame({ type: 'end', id }));
    }
    const resume = stream.resume;
    stream.resume = undefined;
    resume?.();
  }

  #feedWatchdog(socket: WebSocket): void {
    clearTimeout(this.#watchdog);
    const heartbeatMs = this.#welcome?.heartbeatMs ?? PROTOCOL_DEFAULTS.heartbeatMs;
    // Three silent heartbeat periods: the hub (or the path to it) is gone; dial again.
    this.#watchdog = setTimeout(() => {
      this.#logger.warn({ heartbeatMs }, 'no frame from the hub for three heartbeat periods; reconnecting');
      socket.terminate();
    }, heartbeatMs * 3);
    this.#watchdog.unref?.();
  }

  #protocolError(socket: WebSocket, error: unknown): void {
    this.#logger.error({ err: error }, 'the hub sent a frame that is not protocol; reconnecting');
    socket.close(1008, 'protocol error');
  }

  #closedSocket(socket: WebSocket, code: number, reason: string): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    this.#welcome = undefined;
    clearTimeout(this.#watchdog);
    for (const controller of this.#inFlight.values()) controller.abort();
    this.#inFlight.clear();
    this.#streams.clear();
    if (this.#closed) return;
    const retryInMs = this.#retryDelay(undefined);
    this.#logger.info({ code, reason, retryInMs }, 'disconnected from the hub');
    this.emit('disconnected', { code, reason, retryInMs });
    this.#scheduleRetry(retryInMs);
  }

  /** Full jitter over the attempt's ceiling; a hint from the hub sets a floor, itself jittered. */
  #retryDelay(hintMs: number | undefined): number {
    const baseMs = this.#options.backoff?.baseMs ?? 500;
    const maxMs = this.#options.backoff?.maxMs ?? 10_000;
    const attempt = this.#attempt;
    this.#attempt += 1;
    const backoff = fullJitterBackoff(attempt, baseMs, maxMs, this.#random);
    if (hintMs === undefined) return backoff;
    const hinted = Math.min(maxMs, hintMs) * (0.5 + this.#random());
    return Math.max(backoff, hinted);
  }

  /**
   * The hub is up but busy (its handshake admission is full) and said when to come back: the backoff
   * starts again from its base, and the next try follows the hint, jittered, not the ceiling the
   * failures while the hub was down had grown.
   */
  #hintedDelay(hintMs: number): number {
    const maxMs = this.#options.backoff?.maxMs ?? 10_000;
    this.#attempt = 0;
    return Math.min(maxMs, hintMs) * (0.5 + this.#random());
  }

  #scheduleRetry(delayMs: number | undefined): void {
    if (this.#closed || this.#retryTimer) return;
    const delay = delayMs ?? this.#retryDelay(undefined);
    this.#retryTimer = setTimeout(() => void this.#connect(), delay);
  }
}
