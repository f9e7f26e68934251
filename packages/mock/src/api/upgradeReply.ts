import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { KubeApiError } from '../kubeApiError.js';

/** Answers a refused upgrade with a plain HTTP Status response and closes, as kube-apiserver does. */
export function refuseUpgrade(socket: Duplex, error: unknown): void {
  const apiError =
    error instanceof KubeApiError
      ? error
      : new KubeApiError('InternalError', `Internal error occurred: ${(error as Error)?.message ?? error}`);
  const body = JSON.stringify(apiError.toStatus());
  socket.end(
    `HTTP/1.1 ${apiError.code} ${STATUS_CODES[apiError.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}

/** The values of a comma-separated (and possibly repeated) request header. */
export function headerList(value: string | string[] | undefined): string[] {
  const raw = Array.isArray(value) ? value.join(',') : (value ?? '');
  return raw
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}
