import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { KubeApiError } from '../kubeApiError.js';
import type { Logger } from '../types.js';
import type { ExecServer } from './execServer.js';
import type { PortForwardServer } from './portForwardServer.js';
import { refuseUpgrade } from './upgradeReply.js';

const POD_STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;

export interface UpgradeRouterOptions {
  exec: ExecServer;
  portForward: PortForwardServer;
  logger: Logger;
}

/** The API server's `upgrade` listener: sends each streaming subresource to its server. */
export class UpgradeRouter {
  readonly #options: UpgradeRouterOptions;

  constructor(options: UpgradeRouterOptions) {
    this.#options = options;
  }

  handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.#options.logger.debug({ err }, 'streaming connection failed'));
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = POD_STREAM_PATH.exec(url.pathname);
    if (!match) {
      refuseUpgrade(
        socket,
        new KubeApiError(
          'NotFound',
          `the server could not find the requested resource: upgrades are served for pods/exec, pods/attach and pods/portforward (got ${url.pathname})`,
          {},
        ),
      );
      return;
    }
    const [, namespace = '', name = '', sub] = match;
    if (sub === 'portforward') {
      this.#options.portForward.handleUpgrade(
        req,
        socket,
        head,
        decodeURIComponent(namespace),
        decodeURIComponent(name),
      );
      return;
    }
    this.#options.exec.handleUpgrade(req, socket, head);
  }

  close(): void {
    this.#options.exec.close();
    this.#options.portForward.close();
  }
}
