import { Duplex } from 'node:stream';
import type { Logger } from '../../types.js';
import {
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  FrameReader,
  FrameType,
  goAwayFrame,
  pingFrame,
  RstStatus,
  readStreamId,
  readSynStream,
  rstStreamFrame,
  type SpdyFrame,
  synReplyFrame,
} from './frames.js';
import { HeaderCodec } from './headerCodec.js';

/** Data frames we send are cut to this size. */
const DATA_CHUNK = 32 * 1024;

/**
 * One stream the client opened: a Duplex whose readable side is the client's data (ending on its
 * FIN) and whose writable side goes back as data frames (`end()` sends our FIN).
 */
export class SpdyStream extends Duplex {
  readonly id: number;
  /** The SYN_STREAM headers, names lowercase (`streamtype`, `port`, `requestid`). */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly #session: SpdySession;

  constructor(id: number, headers: Record<string, string[]>, session: SpdySession) {
    super({ allowHalfOpen: true });
    this.id = id;
    this.headers = headers;
    this.#session = session;
  }

  /** The first value of a header, by lowercase name. */
  header(name: string): string | undefined {
    return this.headers[name.toLowerCase()]?.[0];
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#session.sendData(this.id, chunk, false);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#session.sendData(this.id, Buffer.alloc(0), true);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#session.forget(this.id, error !== null);
    callback(error);
  }

  /** Data from the client. */
  receive(data: Buffer, fin: boolean): void {
    if (data.length > 0) this.push(data);
    if (fin) this.push(null);
  }
}

export interface SpdySessionOptions {
  /** Decides on each new stream; throwing refuses it with RST_STREAM. */
  onStream: (stream: SpdyStream) => void;
  logger: Logger;
}

/**
 * The server end of a SPDY/3.1 session over any byte stream (an upgraded socket, or a WebSocket
 * tunnel): accepts client streams with an empty SYN_REPLY, as kube-apiserver and the kubelet do,
 * echoes PINGs, ignores SETTINGS and WINDOW_UPDATE (the Go client does no flow control) and ends
 * every stream when the connection goes.
 */
export class SpdySession {
  readonly #transport: Duplex;
  readonly #options: SpdySessionOptions;
  readonly #reader = new FrameReader();
  readonly #codec = new HeaderCodec();
  readonly #streams = new Map<number, SpdyStream>();
  /** Frames are handled one after another: header blocks inflate asynchronously, in order. */
  #queue: Promise<void> = Promise.resolve();
  #lastStreamId = 0;
  #closed = false;

  constructor(transport: Duplex, options: SpdySessionOptions) {
    this.#transport = transport;
    this.#options = options;
    transport.on('data', (chunk: Buffer) => this.#onBytes(chunk));
    transport.on('end', () => this.close());
    transport.on('close', () => this.close());
    transport.on('error', (err) => {
      options.logger.debug({ err }, 'SPDY connection failed');
      this.close();
    });
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends GOAWAY, ends the connection and destroys every stream. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#transport.destroyed && this.#transport.writable) {
      this.#transport.end(goAwayFrame(this.#lastStreamId));
    }
    for (const stream of [...this.#streams.values()]) stream.destroy();
    this.#streams.clear();
    this.#codec.close();
  }

  sendData(streamId: number, data: Buffer, fin: boolean): void {
    if (this.#closed || !this.#streams.has(streamId)) return;
    for (let offset = 0; offset < data.length; offset += DATA_CHUNK) {
      const last = offset + DATA_CHUNK >= data.length;
      this.#transport.write(dataFrame(streamId, data.subarray(offset, offset + DATA_CHUNK), fin && last));
    }
    if (data.length === 0) this.#transport.write(dataFrame(streamId, data, fin));
  }

  /** A stream ends on our side; `reset` tells the client with RST_STREAM CANCEL. */
  forget(streamId: number, reset: boolean): void {
    if (!this.#streams.delete(streamId)) return;
    if (reset && !this.#closed) this.#transport.write(rstStreamFrame(streamId, RstStatus.CANCEL));
  }

  #onBytes(chunk: Buffer): void {
    if (this.#closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.#reader.push(chunk);
    } catch (err) {
      this.#options.logger.debug({ err }, 'SPDY peer sent a malformed frame');
      this.close();
      return;
    }
    for (const frame of frames) {
      this.#queue = this.#queue
        .then(() => this.#onFrame(frame))
        .catch((err: unknown) => {
          this.#options.logger.debug({ err }, 'SPDY frame could not be handled');
          this.close();
        });
    }
  }

  async #onFrame(frame: SpdyFrame): Promise<void> {
    if (this.#closed) return;
    if (frame.kind === 'data') {
      const stream = this.#streams.get(frame.streamId);
      if (stream) stream.receive(frame.data, (frame.flags & FLAG_FIN) !== 0);
      else this.#transport.write(rstStreamFrame(frame.streamId, RstStatus.INVALID_STREAM));
      return;
    }
    switch (frame.type) {
      case FrameType.SYN_STREAM:
        await this.#onSynStream(frame.payload, frame.flags);
        return;
      case FrameType.RST_STREAM: {
        const stream = this.#streams.get(readStreamId(frame.payload));
        if (stream) {
          this.#streams.delete(stream.id);
          stream.destroy();
        }
        return;
      }
      case FrameType.PING:
        this.#transport.write(pingFrame(frame.payload.readUInt32BE(0)));
        return;
      case FrameType.GOAWAY:
        this.close();
        return;
      case FrameType.HEADERS:
        // Header blocks share one zlib stream: inflate it to keep the stream in step.
        await this.#codec.inflate(frame.payload.subarray(4));
        return;
      default:
        // SETTINGS, WINDOW_UPDATE and unknown control frames need no answer.
        return;
    }
  }

  async #onSynStream(payload: Buffer, flags: number): Promise<void> {
    const { streamId, headerBlock } = readSynStream(payload);
    const headers = decodeHeaderBlock(await this.#codec.inflate(headerBlock));
    if (this.#closed) return;
    if (streamId % 2 === 0 || streamId <= this.#lastStreamId) {
      this.#transport.write(rstStreamFrame(streamId, RstStatus.PROTOCOL_ERROR));
      return;
    }
    this.#lastStreamId = streamId;
    const reply = await this.#codec.deflate(encodeHeaderBlock({}));
    if (this.#closed) return;
    this.#transport.write(synReplyFrame(streamId, reply));
    const stream = new SpdyStream(streamId, headers, this);
    this.#streams.set(streamId, stream);
    stream.on('error', (err) => this.#options.logger.debug({ err, streamId }, 'SPDY stream failed'));
    try {
      this.#options.onStream(stream);
    } catch (err) {
      this.#options.logger.debug({ err, streamId }, 'SPDY stream refused');
      this.#streams.delete(streamId);
      this.#transport.write(rstStreamFrame(streamId, RstStatus.REFUSED_STREAM));
      return;
    }
    if (flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
  }
}
