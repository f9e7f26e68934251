import { connect } from 'node:net';
import type { Endpoint } from '../types.js';

/**
 * Holds one idle TCP connection to an endpoint and calls `onLost` once when the other side closes
 * or resets it. A process that dies (a killed pod) closes its connections, so its callers can know
 * within milliseconds, before any probe or request. The socket never keeps the process alive and
 * sends nothing. Returns the function that closes it (then `onLost` is not called).
 */
export function watchConnection(
  endpoint: Endpoint,
  port: number | undefined,
  onLost: (reason: string) => void,
): () => void {
  const socket = connect({ host: endpoint.host, port: port ?? endpoint.port });
  socket.unref();
  socket.setNoDelay(true);
  let stopped = false;
  let reason = 'the endpoint closed the connection';
  socket.on('error', (error: NodeJS.ErrnoException) => {
    reason = error.code ?? error.message;
  });
  socket.on('data', () => {});
  socket.once('close', () => {
    if (!stopped) onLost(reason);
  });
  return () => {
    stopped = true;
    socket.destroy();
  };
}
