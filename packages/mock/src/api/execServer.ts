import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import { badRequest, KubeApiError } from '../kubeApiError.js';
import type { AttachTarget } from '../pods/containerProcess.js';
import type { ExecHandlers, ExecResult } from '../pods/execHandlers.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { runAttach } from './attachSession.js';
import type { AccessControl } from './auth.js';
import { CLOSE, frame, PROTOCOLS, STATUS, STDERR, STDIN, STDOUT, statusFor } from './channelProtocol.js';
import { refuseUpgrade as refuse } from './upgradeReply.js';

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
}

const flag = (query: URLSearchParams, name: string): boolean => ['true', '1'].includes(query.get(name) ?? '');

/**
 * The exec subresource over WebSocket, as kube-apiserver serves `kubectl exec` (1.31+) and
 * client-node's `Exec`: it upgrades `/api/v1/namespaces/{ns}/pods/{name}/exec?command=...`, runs the
 * pod's exec handler and answers on the channel protocol: 1 stdout, 2 stderr, 3 a status
 * (`Success`, or `Failure` with the exit code in `details.causes`), then closes.
 */
export class ExecServer {
  readonly #options: ExecServerOptions;
  readonly #wss = new WebSocketServer({ noServer: true });

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
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      void this.#run(ws, call).catch((err: unknown) => {
        this.#options.logger.warn({ err, pod: call.pod.metadata.name }, 'exec failed');
        ws.terminate();
      });
    });
  }

  /** Cuts every exec stream. */
  close(): void {
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
    const offered = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim());
    const protocol = PROTOCOLS.find((p) => offered.includes(p));
    if (req.headers.upgrade?.toLowerCase() !== 'websocket' || !protocol) {
      throw badRequest(
        `exec is served over WebSocket with one of the subprotocols ${PROTOCOLS.join(', ')} (got upgrade "${req.headers.upgrade ?? ''}", protocols "${offered.join(',')}")`,
      );
    }
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
    };
  }

  async #run(ws: WebSocket, call: ExecCall): Promise<void> {
    if (call.subresource === 'attach') {
      const target = this.#options.attach?.(call.namespace, call.pod.metadata.name ?? '', call.container);
      if (target) runAttach(ws, call, target);
      else ws.close(1000);
      return;
    }
    const stdin = call.stdin ? await readStdin(ws, call.protocol) : undefined;
    if (ws.readyState !== ws.OPEN) return;
    const handler = this.#options.handlers.resolve(
      call.namespace,
      call.pod.metadata.name ?? '',
      call.pod.metadata.labels ?? {},
    );
    let result: ExecResult;
    const aborted = new AbortController();
    ws.once('close', () => aborted.abort());
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
    if (ws.readyState !== ws.OPEN) return;
    if (call.stdout && result.stdout) ws.send(frame(STDOUT, result.stdout));
    if (call.stderr && result.stderr) ws.send(frame(STDERR, result.stderr));
    const status = statusFor(call, result.exitCode ?? 0);
    if (status !== undefined) ws.send(frame(STATUS, status));
    ws.close(1000);
  }
}

/** Collects channel 0 until the client half-closes it (v5 close signal) or closes the socket. */
function readStdin(ws: WebSocket, protocol: string): Promise<string> {
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const done = (): void => {
      ws.off('message', onMessage);
      ws.off('close', done);
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onMessage = (data: RawData): void => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (buf[0] === STDIN) chunks.push(buf.subarray(1));
      else if (buf[0] === CLOSE && buf[1] === STDIN && protocol === 'v5.channel.k8s.io') done();
    };
    ws.on('message', onMessage);
    ws.on('close', done);
  });
}
