import net from 'node:net';
import type { Logger } from '../types.js';
import type { SpdyStream } from './spdy/session.js';

/** The port-forward subprotocol (v1) both SPDY and the WebSocket tunnel carry. */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';

export interface PortForwardTarget {
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  /** Where the pod's servers listen, or undefined while it has no IP. */
  readonly ip: () => string | undefined;
}

interface StreamPair {
  error?: SpdyStream;
  data?: SpdyStream;
}

/**
 * The kubelet's side of `portforward.k8s.io` for one session: the client opens an `error` and a
 * `data` stream per connection, paired by `requestID` and naming the `port`. Once both are there,
 * the data stream is joined to a TCP connection to the pod's IP on that port; when that fails, the
 * reason goes back on the error stream and both streams end.
 */
export class PortForwardStreams {
  readonly #target: PortForwardTarget;
  readonly #logger: Logger;
  readonly #pairs = new Map<string, StreamPair>();
  readonly #sockets = new Set<net.Socket>();

  constructor(target: PortForwardTarget, logger: Logger) {
    this.#target = target;
    this.#logger = logger;
  }

  /** The session's new-stream listener. Throws (refusing the stream) on headers it cannot use. */
  onStream(stream: SpdyStream): void {
    const type = stream.header('streamtype');
    if (type !== 'error' && type !== 'data') throw new Error(`invalid stream type "${type ?? ''}"`);
    const requestId = stream.header('requestid') ?? '';
    const pair = this.#pairs.get(requestId) ?? {};
    if (pair[type]) throw new Error(`a second ${type} stream for request ${requestId}`);
    pair[type] = stream;
    this.#pairs.set(requestId, pair);
    stream.on('close', () => {
      if (this.#pairs.get(requestId) === pair && !(pair.error && pair.data)) this.#pairs.delete(requestId);
    });
    if (pair.error && pair.data) {
      this.#pairs.delete(requestId);
      this.#forward(pair.error, pair.data);
    }
  }

  /** Cuts every forwarded connection. */
  close(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  #forward(error: SpdyStream, data: SpdyStream): void {
    // The client sends nothing on the error stream; drain it so its FIN is read.
    error.resume();
    const portText = data.header('port') ?? '';
    const port = Number(portText);
    if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
      this.#fail(error, data, `invalid port "${portText}"`);
      return;
    }
    const ip = this.#target.ip();
    if (!ip) {
      this.#fail(
        error,
        data,
        `error forwarding port ${port} to pod ${this.#podId()}: the pod has no IP (it is not running)`,
      );
      return;
    }
    const socket = net.connect({ host: ip, port });
    this.#sockets.add(socket);
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      socket.pipe(data);
      data.pipe(socket);
    });
    socket.on('error', (err) => {
      if (!connected) {
        this.#fail(
          error,
          data,
          `error forwarding port ${port} to pod ${this.#podId()}: failed to connect to localhost:${port} inside the pod's network namespace: ${err.message}`,
        );
        return;
      }
      this.#logger.debug({ err, pod: this.#target.name, port }, 'port-forward connection to the pod failed');
      data.destroy();
    });
    socket.on('close', () => {
      this.#sockets.delete(socket);
      if (connected && !error.writableEnded) error.end();
    });
    data.on('close', () => socket.destroy());
  }

  #fail(error: SpdyStream, data: SpdyStream, message: string): void {
    this.#logger.debug({ pod: this.#target.name, message }, 'port-forward refused');
    error.end(message);
    data.end();
  }

  #podId(): string {
    return `${this.#target.name}_${this.#target.namespace}, uid ${this.#target.uid}`;
  }
}
