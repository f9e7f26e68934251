import type { Logger } from '../types.js';
import type { IpAllocator } from './ipAllocator.js';
import { type PodBehaviour, type PodHandler, PodServers } from './podServers.js';

export interface BindRequest {
  readonly pod: string;
  readonly namespace: string;
  readonly ports: readonly number[];
  /** The address to try first; it is released when another one is taken instead. */
  readonly ip: string;
  readonly attempts: number;
  readonly allocator: IpAllocator;
  readonly logger: Logger;
  readonly behaviour: () => PodBehaviour;
  readonly handler: () => PodHandler | undefined;
  /** Checked between attempts: stop trying once the pod is gone. */
  readonly cancelled: () => boolean;
}

export type BindResult =
  | { readonly ok: true; readonly servers: PodServers; readonly ip: string }
  | { readonly ok: false; readonly ip: string; readonly message: string };

const HINTS: Record<string, string> = {
  EADDRINUSE: 'another process holds the address on every IP tried',
  EACCES: 'ports below 1024 need root or a lower net.ipv4.ip_unprivileged_port_start',
  EADDRNOTAVAIL: 'the address is not local: pod IPs need all of 127.0.0.0/8 on loopback, as on Linux',
};

/**
 * Starts a pod's servers on its IP. When the address is in use (another emulator in a parallel
 * process drew the same IP) it moves the pod to a fresh IP and tries again, up to `attempts` times.
 */
export async function bindPodServers(request: BindRequest): Promise<BindResult> {
  let ip = request.ip;
  let lastError: NodeJS.ErrnoException | undefined;
  for (let attempt = 1; attempt <= request.attempts; attempt++) {
    if (attempt > 1) {
      request.allocator.release(ip);
      ip = request.allocator.allocate();
    }
    const servers = new PodServers({
      pod: request.pod,
      namespace: request.namespace,
      ip,
      ports: request.ports,
      logger: request.logger,
      behaviour: request.behaviour(),
      handler: request.handler(),
    });
    try {
      await servers.start();
      if (request.cancelled()) {
        await servers.stop();
        return { ok: false, ip, message: 'cancelled' };
      }
      servers.behaviour = request.behaviour();
      servers.handler = request.handler();
      return { ok: true, servers, ip };
    } catch (error) {
      lastError = error as NodeJS.ErrnoException;
      request.logger.debug({ err: error, ip, pod: request.pod, attempt }, 'pod server bind failed');
      if (lastError.code !== 'EADDRINUSE' || request.cancelled()) break;
    }
  }
  const code = lastError?.code ?? 'unknown error';
  const hint = HINTS[code] ? ` (${HINTS[code]})` : '';
  return {
    ok: false,
    ip,
    message:
      `could not listen on ${ip} port(s) ${request.ports.join(', ')} for pod ` +
      `${request.namespace}/${request.pod}: ${code}${hint}: ${lastError?.message ?? ''}`,
  };
}
