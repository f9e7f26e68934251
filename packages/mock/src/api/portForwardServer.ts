import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { Logger } from '../types.js';
import type { AccessControl } from './auth.js';
import { PORT_FORWARD_PROTOCOL, PortForwardStreams } from './portForward.js';
import { SpdySession } from './spdy/session.js';
import { headerList, refuseUpgrade } from './upgradeReply.js';

/** The WebSocket subprotocol that tunnels a SPDY session (KEP-4006). */
export const SPDY_TUNNEL_PREFIX = 'SPDY/3.1+';
const TUNNEL_PROTOCOL = `${SPDY_TUNNEL_PREFIX}${PORT_FORWARD_PROTOCOL}`;
/**
 * `ws` accepts only RFC 7230 tokens as subprotocols, and `/` is none: once the offer is checked,
 * the request carries this token in its place, and the handshake answers the real name.
 */
const TUNNEL_TOKEN = 'spdy-tunneled-portforward';

export interface PortForwardServerOptions {
  store: ObjectStore;
  access: AccessControl;
  /** The IP of a running fake pod, or undefined. */
  podIp: (namespace: string, name: string) => string | undefined;
  logger: Logger;
}

/**
 * `pods/{name}/portforward`, as kubectl reaches it: a WebSocket whose subprotocol is
 * `SPDY/3.1+portforward.k8s.io` carrying a SPDY session (kubectl 1.30+), or an HTTP upgrade to
 * `SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io` (every kubectl). Both end in the
 * same streams: see {@link PortForwardStreams}.
 */
export class PortForwardServer {
  readonly #options: PortForwardServerOptions;
  readonly #wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => (offered.has(TUNNEL_TOKEN) ? TUNNEL_PROTOCOL : false),
  });
  readonly #sessions = new Set<{ session: SpdySession; streams: PortForwardStreams }>();

  constructor(options: PortForwardServerOptions) {
    this.#options = options;
  }

  handleUpgrade(
    req: http.IncomingMessage,
    socket: Duplex,
    head: Buffer,
    namespace: string,
    name: string,
  ): void {
    let streams: PortForwardStreams;
    try {
      streams = this.#accept(req, namespace, name);
    } catch (error) {
      refuseUpgrade(socket, error);
      return;
    }
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') {
      req.headers['sec-websocket-protocol'] = TUNNEL_TOKEN;
      this.#wss.handleUpgrade(req, socket, head, (ws) => {
        this.#start(createWebSocketStream(ws), streams);
      });
      return;
    }
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
    );
    if (head.length > 0) socket.unshift(head);
    this.#start(socket, streams);
  }

  /** Ends every session and forwarded connection. */
  close(): void {
    for (const { session, streams } of this.#sessions) {
      streams.close();
      session.close();
    }
    this.#sessions.clear();
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }

  #start(transport: Duplex, streams: PortForwardStreams): void {
    const entry = {
      streams,
      session: new SpdySession(transport, {
        logger: this.#options.logger,
        onStream: (stream) => streams.onStream(stream),
      }),
    };
    this.#sessions.add(entry);
    transport.on('close', () => {
      streams.close();
      this.#sessions.delete(entry);
    });
  }

  #accept(req: http.IncomingMessage, namespace: string, name: string): PortForwardStreams {
    const { access, store } = this.#options;
    const user = access.authenticate(req.headers.authorization);
    access.assertAllowed(user, {
      verb: 'create',
      apiGroup: '',
      resource: 'pods',
      subresource: 'portforward',
      namespace,
      name,
    });
    const pod = store.get(resourceByPath('v1', 'pods')!, namespace, name);
    if (!pod) throw new KubeApiError('NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') {
      const offered = headerList(req.headers['sec-websocket-protocol']);
      if (!offered.includes(TUNNEL_PROTOCOL)) {
        throw badRequest(
          `unable to upgrade: port-forward over WebSocket needs the subprotocol ${TUNNEL_PROTOCOL} (got "${offered.join(',')}")`,
        );
      }
    } else if (upgrade === 'spdy/3.1') {
      const offered = headerList(req.headers['x-stream-protocol-version']);
      if (!offered.includes(PORT_FORWARD_PROTOCOL)) {
        throw new KubeApiError(
          'Forbidden',
          `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${PORT_FORWARD_PROTOCOL}]`,
        );
      }
    } else {
      throw badRequest(
        `unable to upgrade: port-forward is served over an upgrade to SPDY/3.1 or websocket (got "${req.headers.upgrade ?? ''}")`,
      );
    }
    return new PortForwardStreams(
      {
        namespace,
        name,
        uid: pod.metadata.uid ?? '',
        ip: () => this.#options.podIp(namespace, name),
      },
      this.#options.logger,
    );
  }
}
