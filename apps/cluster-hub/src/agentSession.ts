import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  type AgentFrame,
  type ChunkFrame,
  CloseCode,
  type EndFrame,
  type ErrorBody,
  encodeFrame,
  type HelloFrame,
  type HubFrame,
  parseAgentFrame,
  type ResponseFrame,
} from '@kubesmart/agent/protocol';
import type { Logger } from '@kubesmart/core';
import WebSocket from 'ws';

export interface SessionSettings {
  heartbeatMs: number;
  maxFrameBytes: number;
  window: number;
}

/** The agent answered with an error (its code and message), or went away, or did not answer in time. */
export class AgentCallError extends Error {
  override readonly name = 'AgentCallError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  resolve(frame: ResponseFrame): void;
  reject(error: AgentCallError): void;
  timer: NodeJS.Timeout;
  stream?: TunnelStream;
}

/**
 * A streamed answer: chunks from the agent, pushed as the consumer reads. The agent may send only as
 * many chunks as it has credit for; credit is granted as this stream is read, so a slow client holds
 * at most `window` chunks here, whatever the size of the log.
 */
export class TunnelStream extends Readable {
  #outstanding: number;
  #ended = false;
  constructor(
    readonly window: number,
    readonly grant: (chunks: number) => void,
    readonly cancel: () => void,
  ) {
    super({ highWaterMark: 64 * 1024 });
    this.#outstanding = window;
  }

  /** One chunk arrived; false when the agent sent more than its credit. */
  accept(frame: ChunkFrame): boolean {
    if (this.#outstanding <= 0) return false;
    this.#outstanding -= 1;
    this.push(frame.data);
    return true;
  }

  finish(frame: EndFrame): void {
    this.#ended = true;
    if (frame.error) this.fail(new AgentCallError(frame.error.code, frame.error.message));
    else this.push(null);
  }

  /** Ends the stream with `error` (only reported to a consumer that listens for errors). */
  fail(error: AgentCallError): void {
    this.#ended = true;
    this.destroy(this.listenerCount('error') > 0 ? error : undefined);
  }

  override _read(): void {
    if (this.#ended) return;
    const room = this.window - this.#outstanding;
    if (room >= Math.ceil(this.window / 2)) {
      this.#outstanding += room;
      this.grant(room);
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.#ended) {
      this.#ended = true;
      this.cancel();
    }
    callback(error);
  }
}

/**
 * One connected agent: its hello, the requests in flight (multiplexed by id), the streams, and the
 * heartbeat. A frame that is not protocol, or more chunks than credit, closes this session only.
 */
export class AgentSession {
  readonly id = randomUUID();
  readonly hello: HelloFrame;
  readonly credentialId: string;
  readonly connectedAt = new Date();
  lastHeartbeat = new Date();
  readonly #socket: WebSocket;
  readonly #settings: SessionSettings;
  readonly #logger: Logger;
  readonly #pending = new Map<number, Pending>();
  readonly #onClose: (session: AgentSession, code: number, reason: string) => void;
  #nextId = 1;
  #lastSeen = performance.now();
  #nonce = 0;
  #heartbeat: NodeJS.Timeout;
  #closed = false;

  constructor(options: {
    socket: WebSocket;
    hello: HelloFrame;
    credentialId: string;
    settings: SessionSettings;
    logger: Logger;
    onClose: (session: AgentSession, code: number, reason: string) => void;
  }) {
    this.#socket = options.socket;
    this.hello = options.hello;
    this.credentialId = options.credentialId;
    this.#settings = options.settings;
    this.#logger = options.logger;
    this.#onClose = options.onClose;
    this.#socket.on('message', (data, isBinary) => this.#receive(data as Buffer, isBinary));
    this.#socket.on('close', (code, reason) => this.#closed || this.#end(code, reason.toString()));
    this.#socket.on('error', (error) => {
      this.#logger.warn({ err: error, agent: this.agentId }, 'agent connection error');
    });
    this.#heartbeat = setInterval(() => this.#beat(), this.#settings.heartbeatMs);
    this.#send({
      type: 'welcome',
      protocol: options.hello.protocol,
      sessionId: this.id,
      heartbeatMs: this.#settings.heartbeatMs,
      window: this.#settings.window,
      maxFrameBytes: this.#settings.maxFrameBytes,
    });
  }

  get agentId(): string {
    return this.hello.agentId;
  }

  get clusterId(): string {
    return this.hello.clusterId;
  }

  get inFlight(): number {
    return this.#pending.size;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends a request and resolves with the agent's result; rejects with {@link AgentCallError}. */
  async call(
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const frame = await this.#request(op, params, timeoutMs, signal);
    return frame.result;
  }

  /** Opens a streamed operation: resolves once the agent accepted it, with the stream of chunks. */
  async stream(
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<{ result: unknown; body: TunnelStream }> {
    const id = this.#nextId;
    const body = new TunnelStream(
      this.#settings.window,
      (chunks) => this.#send({ type: 'credit', id, chunks }),
      () => {
        this.#pending.delete(id);
        this.#send({ type: 'cancel', id });
      },
    );
    const frame = await this.#request(op, params, timeoutMs, signal, body);
    return { result: frame.result, body };
  }

  /** Closes the session with a close code (replaced, revoked, shutting down). */
  close(code: number, reason: string): void {
    if (this.#closed) return;
    this.#socket.close(code, reason);
    this.#end(code, reason);
    // A peer that never completes the closing handshake is cut off.
    setTimeout(() => this.#socket.terminate(), 2000).unref();
  }

  #request(
    op: string,
    params: Record<string, unknown>,
    timeoutMs: number,
    signal: AbortSignal | undefined,
    stream?: TunnelStream,
  ): Promise<ResponseFrame> {
    if (this.#closed) {
      return Promise.reject(
        new AgentCallError('AGENT_GONE', `agent "${this.agentId}" disconnected; retry when it is back`),
      );
    }
    const id = this.#nextId++;
    return new Promise<ResponseFrame>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(pending.timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        if (!this.#pending.delete(id)) return;
        finish();
        this.#send({ type: 'cancel', id });
        reject(new AgentCallError('CANCELLED', 'the caller went away'));
      };
      const pending: Pending = {
        resolve: (frame) => {
          finish();
          resolve(frame);
        },
        reject: (error) => {
          finish();
          reject(error);
        },
        timer: setTimeout(() => {
          if (!this.#pending.delete(id)) return;
          this.#send({ type: 'cancel', id });
          signal?.removeEventListener('abort', onAbort);
          stream?.fail(new AgentCallError('AGENT_TIMEOUT', 'timed out'));
          reject(
            new AgentCallError(
              'AGENT_TIMEOUT',
              `agent "${this.agentId}" did not answer ${op} within ${timeoutMs} ms (WEBSOCKET_TIMEOUT); it may be overloaded or its API server slow`,
            ),
          );
        }, timeoutMs),
        ...(stream ? { stream } : {}),
      };
      this.#pending.set(id, pending);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#send({ type: 'request', id, op, params, timeoutMs });
    });
  }

  #send(frame: HubFrame): void {
    if (this.#socket.readyState === WebSocket.OPEN) this.#socket.send(encodeFrame(frame));
  }

  #receive(data: Buffer, isBinary: boolean): void {
    if (this.#closed) return;
    this.#lastSeen = performance.now();
    let frame: AgentFrame;
    try {
      if (isBinary) throw new Error('binary frames are not protocol');
      frame = parseAgentFrame(data, this.#settings.maxFrameBytes);
    } catch (error) {
      this.#violation((error as Error).message);
      return;
    }
    switch (frame.type) {
      case 'pong':
        this.lastHeartbeat = new Date();
        return;
      case 'hello':
        this.#violation('a second hello on one session');
        return;
      case 'response': {
        const pending = this.#pending.get(frame.id);
        if (!pending) return; // answered after a timeout or cancel: dropped
        if (!frame.ok) {
          this.#pending.delete(frame.id);
          const error = frame.error as ErrorBody;
          pending.stream?.fail(new AgentCallError(error.code, error.message));
          pending.reject(new AgentCallError(error.code, error.message));
          return;
        }
        if (pending.stream) {
          clearTimeout(pending.timer);
          pending.timer = this.#idleTimer(frame.id, pending.stream);
        } else this.#pending.delete(frame.id);
        pending.resolve(frame);
        return;
      }
      case 'chunk': {
        const pending = this.#pending.get(frame.id);
        if (!pending?.stream) return;
        if (!pending.stream.accept(frame)) {
          this.#violation(`stream ${frame.id}: a chunk beyond the granted credit`);
          return;
        }
        clearTimeout(pending.timer);
        pending.timer = this.#idleTimer(frame.id, pending.stream);
        return;
      }
      case 'end': {
        const pending = this.#pending.get(frame.id);
        if (!pending?.stream) return;
        clearTimeout(pending.timer);
        this.#pending.delete(frame.id);
        pending.stream.finish(frame);
        return;
      }
    }
  }

  #idleTimer(id: number, stream: TunnelStream): NodeJS.Timeout {
    // A stream with no chunk for ten minutes (agent stalled, or a client that stopped reading) is cut.
    return setTimeout(() => {
      if (!this.#pending.delete(id)) return;
      this.#send({ type: 'cancel', id });
      stream.fail(
        new AgentCallError('AGENT_TIMEOUT', `agent "${this.agentId}" stopped sending stream ${id}`),
      );
    }, 10 * 60_000);
  }

  #beat(): void {
    const silentMs = performance.now() - this.#lastSeen;
    if (silentMs > this.#settings.heartbeatMs * 2) {
      this.#logger.warn(
        { agent: this.agentId, silentMs: Math.round(silentMs) },
        'agent stopped answering heartbeats; closing',
      );
      this.#socket.terminate();
      this.#end(CloseCode.HEARTBEAT_TIMEOUT, 'heartbeat timeout');
      return;
    }
    this.#nonce += 1;
    this.#send({ type: 'ping', nonce: this.#nonce });
  }

  #violation(what: string): void {
    this.#logger.warn(
      { agent: this.agentId, violation: what },
      'agent sent a frame that is not protocol; closing it',
    );
    this.close(CloseCode.PROTOCOL_ERROR, 'protocol error');
  }

  #end(code: number, reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    for (const [id, pending] of this.#pending) {
      this.#pending.delete(id);
      clearTimeout(pending.timer);
      const error = new AgentCallError(
        'AGENT_GONE',
        `agent "${this.agentId}" disconnected during the request (${reason}); retry when it is back`,
      );
      pending.stream?.fail(error);
      pending.reject(error);
    }
    this.#onClose(this, code, reason);
  }
}
