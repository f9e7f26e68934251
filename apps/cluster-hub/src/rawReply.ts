import type { Duplex } from 'node:stream';
import { HTTP_REASONS } from '@kubesmart/core';
import { hubErrorBody } from './hubErrors.js';

/** Answers an upgrade request that is refused with the hub's JSON error, on the raw socket, and closes it. */
export function refuseUpgrade(
  socket: Duplex,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(hubErrorBody(status, code, message));
  const lines = [
    `HTTP/1.1 ${status} ${HTTP_REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
