import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { AttachTarget } from '../pods/containerProcess.js';
import type { ExecHandlers, ExecResult } from '../pods/execHandlers.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { runAttach } from './attachSession.js';
import type { AccessControl } from './auth.js';
import { PROTOCOLS, SPDY_PROTOCOLS } from './channelProtocol.js';
import { type ClientChannels, spdyChannels, webSocketChannels } from './clientChannels.js';
import { SpdySession, type SpdyStream } from './spdy/session.js';
import { headerList, refuseUpgrade as refuse } from './upgradeReply.js';

export interface ExecServerOptions {
  store: ObjectStore;
  access: AccessControl;
  handlers: ExecHandlers;
  logger: Logger;
  /** The cluster CA handed to exec handlers (the pods' service account `ca.crt`). */
  caCertPem?: () => string | undefined;
  /** What `pods/attach` reaches in a container, or undefined when the pod runs nothing. */
  attach?: (namespace: string, pod: string, container: string) => AttachTarget | undefined;
}

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)\/?$/;

interface ExecCall {
  readonly subresource: 'exec' | 'attach';
  readonly namespace: string;
  readonly pod: KubeObject;
  readonly container: string;
  readonly command: string[];
  readonly protocol: string;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
  readonly tty: boolean;
}

const flag = (query: URLSearchParams, name: string): boolean => ['true', '1'].includes(query.get(name) ?? '');

/**
 * The exec and attach subresources, as kube-apiserver serves `kubectl exec` / `attach` and
 * client-node's `Exec`: `/api/v1/namespaces/{ns}/pods/{name}/exec?command=...` (or `/attach`)
 * upgraded to a WebSocket (channel protocol: 1 stdout, 2 stderr, 3 the status) or to SPDY/3.1
 * (`stdin`, `stdout`, `stderr` and `error` streams). Exec runs the pod's exec handler; attach joins
 * the container's process. The status is `Success`, or `Failure` with the exit code in
 * `details.causes`.
 */
export class ExecServer {
  readonly #options: ExecServerOptions;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #sessions = new Set<SpdySession>();

  constructor(options: ExecServerOptions) {
    this.#options = options;
  }

  /** The `upgrade` listener of the API server. */
  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.#options.logger.debug({ err }, 'exec connection failed'));
    let call: ExecCall;
    try {
      call = this.#accept(req);
    } catch (error) {
      refuse(socket, error);
      return;
    }
    if (req.headers.upgrade?.toLowerCase() === 'spdy/3.1') {
      this.#acceptSpdy(socket, head, call);
      return;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#start(webSocketChannels(ws, call), call, () => ws.terminate());
    });
  }

  /** Cuts every exec stream. */
  close(): void {
    for (const session of this.#sessions) session.close();
    this.#sessions.clear();
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }

  #accept(req: http.IncomingMessage): ExecCall {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = EXEC_PATH.exec(url.pathname);
    if (!match) throw new KubeApiError('NotFound', 'the server could not find the requested resource', {});
    const namespace = decodeURIComponent(match[1] ?? '');
    const name = decodeURIComponent(match[2] ?? '');
    const subresource = match[3] === 'attach' ? 'attach' : 'exec';
    const { access, store } = this.#options;
    const user = access.authenticate(req.headers.authorization);
    access.assertAllowed(user, {
      verb: 'create',
      apiGroup: '',
      resource: 'pods',
      subresource,
      namespace,
      name,
    });
    const pod = store.get(resourceByPath('v1', 'pods')!, namespace, name);
    if (!pod) throw new KubeApiError('NotFound', `pods "${name}" not found`, { name, kind: 'pods' });
    const containers = ((pod.spec as { containers?: { name?: string }[] } | undefined)?.containers ?? []).map(
      (c) => c.name ?? '',
    );
    const container = url.searchParams.get('container') || containers[0] || '';
    if (!containers.includes(container)) {
      throw badRequest(`container ${container} is not valid for pod ${name}`);
    }
    const statuses = (
      pod.status as { containerStatuses?: { name?: string; state?: { running?: unknown } }[] }
    )?.containerStatuses;
    if (!statuses?.find((s) => s.name === container)?.state?.running) {
      throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
    }
    const command = url.searchParams.getAll('command');
    if (command.length === 0 && subresource === 'exec') {
      throw badRequest('you must specify at least one command for the container');
    }
    const protocol = negotiate(req);
    const q = url.searchParams;
    return {
      subresource,
      namespace,
      pod,
      container,
      command,
      protocol,
      stdin: flag(q, 'stdin'),
      stdout: flag(q, 'stdout'),
      stderr: flag(q, 'stderr'),
      tty: flag(q, 'tty'),
    };
  }

  #start(channels: ClientChannels, call: ExecCall, abort: () => void): void {
    if (call.subresource === 'attach') {
      const target = this.#options.attach?.(call.namespace, call.pod.metadata.name ?? '', call.container);
      if (target) runAttach(channels, call.stdin, target);
      else channels.finish(0);
      return;
    }
    void this.#exec(channels, call).catch((err: unknown) => {
      this.#options.logger.warn({ err, pod: call.pod.metadata.name }, 'exec failed');
      abort();
    });
  }

  /**
   * SPDY/3.1 (kubectl before 1.30): the client opens an `error` stream and one per requested stream
   * (`stdin`, `stdout`, `stderr`, `resize` with a TTY); the call starts once they are all there.
   */
  #acceptSpdy(socket: Duplex, head: Buffer, call: ExecCall): void {
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\n' +
        'Connection: Upgrade\r\n' +
        'Upgrade: SPDY/3.1\r\n' +
        `X-Stream-Protocol-Version: ${call.protocol}\r\n\r\n`,
    );
    if (head.length > 0) socket.unshift(head);
    const expected = [
      'error',
      ...(call.stdin ? ['stdin'] : []),
      ...(call.stdout ? ['stdout'] : []),
      ...(call.stderr ? ['stderr'] : []),
      ...(call.tty ? ['resize'] : []),
    ];
    const streams = new Map<string, SpdyStream>();
    let closeTimer: NodeJS.Timeout | undefined;
    const session: SpdySession = new SpdySession(socket, {
      logger: this.#options.logger,
      onStream: (stream) => {
        const type = stream.header('streamtype') ?? '';
        if (!expected.includes(type) || streams.has(type)) throw new Error(`unexpected stream "${type}"`);
        streams.set(type, stream);
        if (type === 'resize') stream.resume();
        if (streams.size < expected.length) return;
        clearTimeout(closeTimer);
        const channels = spdyChannels(
          {
            error: streams.get('error') as SpdyStream,
            stdin: streams.get('stdin'),
            stdout: streams.get('stdout'),
            stderr: streams.get('stderr'),
          },
          call,
          () => {
            // The client closes the connection once it has read everything; else we do.
            closeTimer = setTimeout(() => session.close(), SPDY_LINGER_MS);
          },
        );
        this.#start(channels, call, () => session.close());
      },
    });
    this.#sessions.add(session);
    closeTimer = setTimeout(() => session.close(), SPDY_STREAMS_TIMEOUT_MS);
    socket.on('close', () => {
      clearTimeout(closeTimer);
      this.#sessions.delete(session);
    });
  }

  async #exec(channels: ClientChannels, call: ExecCall): Promise<void> {
    const stdin = call.stdin ? await readAll(channels) : undefined;
    if (!channels.open) return;
    const handler = this.#options.handlers.resolve(
      call.namespace,
      call.pod.metadata.name ?? '',
      call.pod.metadata.labels ?? {},
    );
    let result: ExecResult;
    const aborted = new AbortController();
    channels.onClose(() => aborted.abort());
    try {
      result = await handler(call.command, {
        namespace: call.namespace,
        pod: call.pod.metadata.name ?? '',
        container: call.container,
        object: call.pod,
        stdin,
        caCertPem: this.#options.caCertPem?.(),
        signal: aborted.signal,
      });
    } catch (error) {
      result = { stderr: `${(error as Error)?.message ?? String(error)}\n`, exitCode: 126 };
    }
    if (!channels.open) return;
    channels.stdout(result.stdout ?? '');
    channels.stderr(result.stderr ?? '');
    channels.finish(result.exitCode ?? 0);
  }
}

/** How long the streams of a SPDY exec may take to arrive, and a finished session may linger. */
const SPDY_STREAMS_TIMEOUT_MS = 30_000;
const SPDY_LINGER_MS = 5000;

/** The channel protocol: a WebSocket subprotocol, or SPDY's `X-Stream-Protocol-Version`. */
function negotiate(req: http.IncomingMessage): string {
  const upgrade = req.headers.upgrade?.toLowerCase();
  if (upgrade === 'spdy/3.1') {
    const offered = headerList(req.headers['x-stream-protocol-version']);
    const protocol = offered.find((p) => SPDY_PROTOCOLS.includes(p));
    if (!protocol) {
      throw new KubeApiError(
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports [${offered.join(' ')}], server supports [${SPDY_PROTOCOLS.join(' ')}]`,
      );
    }
    return protocol;
  }
  const offered = headerList(req.headers['sec-websocket-protocol']);
  const protocol = PROTOCOLS.find((p) => offered.includes(p));
  if (upgrade !== 'websocket' || !protocol) {
    throw badRequest(
      `exec and attach are served over WebSocket with one of the subprotocols ${PROTOCOLS.join(', ')}, or over SPDY/3.1 (got upgrade "${req.headers.upgrade ?? ''}", protocols "${offered.join(',')}")`,
    );
  }
  return protocol;
}

/** The whole of stdin, once the client closes it. */
function readAll(channels: ClientChannels): Promise<string> {
  const chunks: string[] = [];
  return new Promise((resolve) =>
    channels.onStdin(
      (text) => chunks.push(text),
      () => resolve(chunks.join('')),
    ),
  );
}
