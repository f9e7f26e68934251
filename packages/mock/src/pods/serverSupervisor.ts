import type { Logger } from '../types.js';
import { bindPodServers } from './bindServers.js';
import type { IpAllocator } from './ipAllocator.js';
import type { PodBehaviour, PodHandler, PodServers } from './podServers.js';

export interface ServerSupervisorOptions {
  readonly pod: string;
  readonly namespace: string;
  readonly ports: readonly number[];
  readonly allocator: IpAllocator;
  readonly logger: Logger;
  readonly bindAttempts: number;
  /** The IP to listen on while the pod should serve, undefined while it should not. */
  readonly wantedIp: () => string | undefined;
  /** The servers listen, on `ip` (a fresh one when the first was in use). */
  readonly onBound: (ip: string) => void;
  /** No address could be bound; the pod must be marked Failed. */
  readonly onBindFailed: (ip: string, message: string) => void;
}

/**
 * Keeps a pod's real servers in line with what the pod should be doing: `reconcile()` starts them
 * when wanted and stops them when not; concurrent calls coalesce into one loop, so a kill arriving
 * while the servers bind still ends with them closed.
 */
export class ServerSupervisor {
  readonly #options: ServerSupervisorOptions;
  #servers: PodServers | undefined;
  #behaviour: PodBehaviour = { mode: 'serve' };
  #handler: PodHandler | undefined;
  #reconciling: Promise<void> | undefined;
  #again = false;

  constructor(options: ServerSupervisorOptions, handler: PodHandler | undefined) {
    this.#options = options;
    this.#handler = handler;
  }

  get behaviour(): PodBehaviour {
    return this.#behaviour;
  }

  set behaviour(behaviour: PodBehaviour) {
    this.#behaviour = behaviour;
    if (this.#servers) this.#servers.behaviour = behaviour;
  }

  set handler(handler: PodHandler | undefined) {
    this.#handler = handler;
    if (this.#servers) this.#servers.handler = handler;
  }

  get listening(): boolean {
    return this.#servers?.listening ?? false;
  }

  /** Closes listeners and connections right away (the caller reconciles afterwards). */
  stopNow(): Promise<void> {
    return this.#servers?.stop() ?? Promise.resolve();
  }

  reconcile(): Promise<void> {
    if (this.#reconciling) {
      this.#again = true;
      return this.#reconciling;
    }
    this.#reconciling = (async () => {
      do {
        this.#again = false;
        await this.#reconcileOnce();
      } while (this.#again);
    })().finally(() => {
      this.#reconciling = undefined;
    });
    return this.#reconciling;
  }

  async #reconcileOnce(): Promise<void> {
    const ip = this.#options.wantedIp();
    if (ip === undefined && this.#servers) {
      const servers = this.#servers;
      this.#servers = undefined;
      await servers.stop();
      return;
    }
    if (ip === undefined || this.#servers) return;
    const { pod, namespace, ports, allocator, logger, bindAttempts } = this.#options;
    const result = await bindPodServers({
      pod,
      namespace,
      ports,
      ip,
      attempts: bindAttempts,
      allocator,
      logger,
      behaviour: () => this.#behaviour,
      handler: () => this.#handler,
      cancelled: () => this.#options.wantedIp() === undefined,
    });
    if (result.ok) {
      this.#servers = result.servers;
      this.#options.onBound(result.ip);
      if (this.#options.wantedIp() === undefined) this.#again = true;
    } else if (result.message !== 'cancelled') {
      logger.warn({ pod, namespace }, result.message);
      this.#options.onBindFailed(result.ip, result.message);
    }
  }
}
