/** The channel protocol (`v5.channel.k8s.io` and older) of exec and attach over WebSocket. */

/** Subprotocols of the WebSocket exec stream, most preferred first. v4 and v5 report status as JSON. */
export const PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const;
/** The channel protocols the SPDY exec and attach streams speak (v1 has no error stream). */
export const SPDY_PROTOCOLS: readonly string[] = [
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
];
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const STATUS = 3;
export const CLOSE = 255;

export function frame(channel: number, text: string): Buffer {
  return Buffer.concat([Buffer.from([channel]), Buffer.from(text, 'utf8')]);
}

/** The status channel's payload: JSON for v4/v5, an error text (nothing on success) for older protocols. */
export function statusFor(
  call: { protocol: string; command: readonly string[] },
  exitCode: number,
): string | undefined {
  const json = call.protocol === 'v4.channel.k8s.io' || call.protocol === 'v5.channel.k8s.io';
  if (exitCode === 0) return json ? JSON.stringify({ metadata: {}, status: 'Success' }) : undefined;
  const message = `command terminated with non-zero exit code: error executing command [${call.command.join(' ')}], exit code ${exitCode}`;
  if (!json) return message;
  return JSON.stringify({
    metadata: {},
    status: 'Failure',
    message,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  });
}
