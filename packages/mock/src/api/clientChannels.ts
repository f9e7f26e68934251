import type { RawData, WebSocket } from 'ws';
import { CLOSE, frame, STATUS, STDERR, STDIN, STDOUT, statusFor } from './channelProtocol.js';
import type { SpdyStream } from './spdy/session.js';

/**
 * The client's end of an exec or attach, whatever carries it: WebSocket channels (kubectl 1.30+,
 * client-node) or SPDY streams (every kubectl). The exec and attach logic speaks only to this.
 */
export interface ClientChannels {
  readonly open: boolean;
  /** stdin as it arrives; `onEnd` when the client closes it (or goes away). */
  onStdin(onData: (text: string) => void, onEnd: () => void): void;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Sends the exit status and ends the session. */
  finish(exitCode: number): void;
  onClose(listener: () => void): void;
}

export interface ChannelCall {
  readonly protocol: string;
  readonly command: readonly string[];
  readonly stdout: boolean;
  readonly stderr: boolean;
}

/** Channels 0-3 of `v5.channel.k8s.io` and older over one WebSocket. */
export function webSocketChannels(ws: WebSocket, call: ChannelCall): ClientChannels {
  return {
    get open() {
      return ws.readyState === ws.OPEN;
    },
    onStdin(onData, onEnd) {
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        onEnd();
      };
      ws.on('message', (data: RawData) => {
        const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
        if (buf[0] === STDIN) onData(buf.subarray(1).toString('utf8'));
        else if (buf[0] === CLOSE && buf[1] === STDIN) end();
      });
      ws.on('close', end);
    },
    stdout(text) {
      if (call.stdout && text && ws.readyState === ws.OPEN) ws.send(frame(STDOUT, text));
    },
    stderr(text) {
      if (call.stderr && text && ws.readyState === ws.OPEN) ws.send(frame(STDERR, text));
    },
    finish(exitCode) {
      if (ws.readyState !== ws.OPEN) return;
      const status = statusFor(call, exitCode);
      if (status !== undefined) ws.send(frame(STATUS, status));
      ws.close(1000);
    },
    onClose(listener) {
      ws.on('close', listener);
    },
  };
}

export interface SpdyExecStreams {
  readonly error: SpdyStream;
  readonly stdin?: SpdyStream | undefined;
  readonly stdout?: SpdyStream | undefined;
  readonly stderr?: SpdyStream | undefined;
}

/**
 * The kubelet's streams of `v4.channel.k8s.io` (and v3, v2) over SPDY: data on the `stdin`,
 * `stdout` and `stderr` streams, the status on `error` (JSON for v4, a message for older), then
 * every stream is closed.
 */
export function spdyChannels(
  streams: SpdyExecStreams,
  call: ChannelCall,
  afterFinish: () => void,
): ClientChannels {
  let open = true;
  const closeListeners: (() => void)[] = [];
  const closed = (): void => {
    if (!open) return;
    open = false;
    for (const listener of closeListeners) listener();
  };
  streams.error.on('close', closed);
  streams.error.resume();
  return {
    get open() {
      return open;
    },
    onStdin(onData, onEnd) {
      const stdin = streams.stdin;
      if (!stdin) {
        onEnd();
        return;
      }
      let ended = false;
      const end = (): void => {
        if (ended) return;
        ended = true;
        onEnd();
      };
      stdin.on('data', (chunk: Buffer) => onData(chunk.toString('utf8')));
      stdin.on('end', end);
      stdin.on('close', end);
    },
    stdout(text) {
      if (open && text) streams.stdout?.write(text);
    },
    stderr(text) {
      if (open && text) streams.stderr?.write(text);
    },
    finish(exitCode) {
      if (!open) return;
      streams.stdout?.end();
      streams.stderr?.end();
      const status = statusFor(call, exitCode);
      streams.error.end(status ?? '');
      streams.stdin?.resume();
      closed();
      afterFinish();
    },
    onClose(listener) {
      closeListeners.push(listener);
    },
  };
}
