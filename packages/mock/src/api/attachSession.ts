import type { RawData, WebSocket } from 'ws';
import type { AttachTarget } from '../pods/containerProcess.js';
import { CLOSE, frame, STATUS, STDERR, STDIN, STDOUT, statusFor } from './channelProtocol.js';

export interface AttachCall {
  readonly protocol: string;
  readonly stdin: boolean;
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/**
 * One attached client on the channel protocol: channel 0 goes to the process's stdin (closed by the
 * v5 close signal or the socket closing), its output goes out on 1 and 2 as it comes, and the exit
 * of the process sends the status and closes.
 */
export function runAttach(ws: WebSocket, call: AttachCall, target: AttachTarget): void {
  const stdin = call.stdin ? target.claimStdin() : undefined;
  let detach = (): void => {};
  const finish = (exitCode: number): void => {
    detach();
    if (ws.readyState !== ws.OPEN) return;
    const status = statusFor({ protocol: call.protocol, command: [] }, exitCode);
    if (status !== undefined) ws.send(frame(STATUS, status));
    ws.close(1000);
  };
  if (target.exitCode !== undefined) {
    finish(target.exitCode);
    return;
  }
  detach = target.attach({
    onOutput: (stream, text) => {
      if (ws.readyState !== ws.OPEN) return;
      if (stream === 'stdout' && call.stdout) ws.send(frame(STDOUT, text));
      if (stream === 'stderr' && call.stderr) ws.send(frame(STDERR, text));
    },
    onExit: finish,
  });
  ws.on('message', (data: RawData) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (buf[0] === STDIN) stdin?.write(buf.subarray(1).toString('utf8'));
    else if (buf[0] === CLOSE && buf[1] === STDIN) stdin?.close();
  });
  ws.on('close', () => {
    detach();
    stdin?.close();
  });
}
