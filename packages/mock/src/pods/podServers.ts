import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createNetServer, type Server, type Socket } from 'node:net';
import type { Logger } from '../types.js';

/** Where a request or connection arrived: which pod, and which of its ports. */
export interface PodContext {
  readonly pod: string;
  readonly namespace: string;
  readonly ip: string;
  readonly port: number;
}

/** Answers HTTP requests in place of the default `{ pod, namespace, port }` handler. */
export type PodHttpHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: PodContext,
) => void | Promise<void>;

/** Takes over raw TCP connections: no HTTP parsing at all. */
export interface PodTcpHandler {
  tcp: (socket: Socket, ctx: PodContext) => void;
}

export type PodHandler = PodHttpHandler | PodTcpHandler;

/**
 * How a pod's servers behave while listening. With the HTTP handlers: `hang` reads requests and never
 * answers, `slow` delays every answer by `ms`, `fail` answers every request with `status`. With a raw
 * TCP handler: `hang` reads and never writes, `slow` hands the connection over after `ms`, `fail`
 * closes it at once. `down` (listeners closed) is not a behaviour of a running server: it is `stop()`.
 */
export type PodBehaviour =
  | { readonly mode: 'serve' }
  | { readonly mode: 'hang' }
  | { readonly mode: 'slow'; readonly ms: number }
  | { readonly mode: 'fail'; readonly status: number };

export interface PodServersOptions {
  pod: string;
  namespace: string;
  /** The pod IP to listen on. */
  ip: string;
  /** TCP ports to listen on; duplicates are ignored. */
  ports: readonly number[];
  logger: Logger;
  /** @default { mode: 'serve' } */
  behaviour?: PodBehaviour;
  /** Replaces the default handler. @default undefined */
  handler?: PodHandler | undefined;
}

export const isTcpHandler = (handler: PodHandler): handler is PodTcpHandler =>
  typeof handler === 'object' && typeof handler.tcp === 'function';

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen({ host, port });
  });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

/**
 * The real servers of one pod: a TCP listener on `ip:port` for each declared port, each connection
 * handed to a shared HTTP server or to a raw TCP handler. Behaviour and handler are read on every
 * connection and request, so they can change at runtime.
 */
export class PodServers {
  behaviour: PodBehaviour;
  handler: PodHandler | undefined;
  readonly ip: string;
  readonly ports: readonly number[];
  readonly #options: PodServersOptions;
  readonly #listeners: Server[] = [];
  readonly #sockets = new Set<Socket>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #http: HttpServer;

  constructor(options: PodServersOptions) {
    this.#options = options;
    this.ip = options.ip;
    this.ports = [...new Set(options.ports)];
    this.behaviour = options.behaviour ?? { mode: 'serve' };
    this.handler = options.handler;
    this.#http = createServer({ keepAliveTimeout: 5000, requestTimeout: 0 }, (req, res) =>
      this.#onRequest(req, res),
    );
  }

  get listening(): boolean {
    return this.#listeners.length > 0;
  }

  /** Open client connections (HTTP keep-alive, hung or raw TCP). */
  get connections(): number {
    return this.#sockets.size;
  }

  /** Listens on every port; on the first failure closes what was opened and rejects with its error. */
  async start(): Promise<void> {
    if (this.listening) return;
    try {
      for (const port of this.ports) {
        const server = createNetServer((socket) => this.#onConnection(socket, port));
        await listen(server, this.ip, port);
        server.on('error', (err) =>
          this.#options.logger.warn({ err, ip: this.ip, port }, 'pod server error'),
        );
        this.#listeners.push(server);
      }
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Closes the listeners and destroys every open connection: connections are then refused. */
  async stop(): Promise<void> {
    const listeners = this.#listeners.splice(0);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const closed = Promise.all(listeners.map(closeServer));
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    await closed;
  }

  #context(port: number): PodContext {
    return { pod: this.#options.pod, namespace: this.#options.namespace, ip: this.ip, port };
  }

  #later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    this.#timers.add(timer);
  }

  #onConnection(socket: Socket, port: number): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const handler = this.handler;
    if (!handler || !isTcpHandler(handler)) {
      this.#http.emit('connection', socket);
      return;
    }
    const behaviour = this.behaviour;
    if (behaviour.mode === 'hang') socket.resume();
    else if (behaviour.mode === 'fail') socket.destroy();
    else if (behaviour.mode === 'slow') this.#later(behaviour.ms, () => this.#runTcp(handler, socket, port));
    else this.#runTcp(handler, socket, port);
  }

  #runTcp(handler: PodTcpHandler, socket: Socket, port: number): void {
    if (socket.destroyed) return;
    try {
      handler.tcp(socket, this.#context(port));
    } catch (err) {
      this.#options.logger.warn({ err, pod: this.#options.pod, port }, 'pod TCP handler threw');
      socket.destroy();
    }
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const port = req.socket.localPort ?? 0;
    const behaviour = this.behaviour;
    if (behaviour.mode === 'hang') {
      req.resume();
      return;
    }
    if (behaviour.mode === 'slow') this.#later(behaviour.ms, () => this.#answer(req, res, port));
    else this.#answer(req, res, port);
  }

  #answer(req: IncomingMessage, res: ServerResponse, port: number): void {
    if (res.destroyed || res.writableEnded) return;
    const ctx = this.#context(port);
    const behaviour = this.behaviour;
    res.setHeader('X-Pod-Name', ctx.pod);
    if (behaviour.mode === 'fail') {
      req.resume();
      sendJson(res, behaviour.status, {
        pod: ctx.pod,
        namespace: ctx.namespace,
        port,
        error: 'injected failure',
      });
      return;
    }
    const handler = this.handler;
    if (!handler || isTcpHandler(handler)) {
      defaultHandler(req, res, ctx);
      return;
    }
    const onError = (err: unknown): void => {
      this.#options.logger.warn({ err, pod: ctx.pod, port }, 'pod HTTP handler failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'pod handler failed' });
      else res.destroy();
    };
    try {
      Promise.resolve(handler(req, res, ctx)).catch(onError);
    } catch (err) {
      onError(err);
    }
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** `GET /healthz` -> 200 `ok`; anything else -> 200 `{ pod, namespace, port, method, path }`. */
function defaultHandler(req: IncomingMessage, res: ServerResponse, ctx: PodContext): void {
  req.resume();
  const path = req.url ?? '/';
  if (req.method === 'GET' && (path === '/healthz' || path.startsWith('/healthz?'))) {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 2 });
    res.end('ok');
    return;
  }
  sendJson(res, 200, { pod: ctx.pod, namespace: ctx.namespace, port: ctx.port, method: req.method, path });
}
