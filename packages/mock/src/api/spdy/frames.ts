/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 with the 3.1 flow-control frames): the frames
 * kubectl's port-forward, exec and attach sessions use. Header blocks stay compressed here; see
 * headerCodec.ts for their zlib stream.
 */

export const SPDY_VERSION = 3;

export const FrameType = Object.freeze({
  SYN_STREAM: 1,
  SYN_REPLY: 2,
  RST_STREAM: 3,
  SETTINGS: 4,
  PING: 6,
  GOAWAY: 7,
  HEADERS: 8,
  WINDOW_UPDATE: 9,
});

export const FLAG_FIN = 0x01;
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes. */
export const RstStatus = Object.freeze({
  PROTOCOL_ERROR: 1,
  INVALID_STREAM: 2,
  REFUSED_STREAM: 3,
  CANCEL: 5,
  INTERNAL_ERROR: 6,
  STREAM_IN_USE: 8,
  STREAM_ALREADY_CLOSED: 9,
});

/** Largest payload of one frame (24-bit length). */
export const MAX_FRAME_PAYLOAD = 0xffffff;

export type SpdyFrame =
  | { readonly kind: 'data'; readonly streamId: number; readonly flags: number; readonly data: Buffer }
  | {
      readonly kind: 'control';
      readonly type: number;
      readonly version: number;
      readonly flags: number;
      readonly payload: Buffer;
    };

/** A peer sent bytes that are not SPDY/3 frames. */
export class SpdyProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SpdyProtocolError';
  }
}

/** Cuts a byte stream into frames; feed it chunks as they arrive, in order. */
export class FrameReader {
  #buffer: Buffer = Buffer.alloc(0);

  /** The complete frames the bytes so far make; a partial frame waits for the next chunk. */
  push(chunk: Buffer): SpdyFrame[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const frames: SpdyFrame[] = [];
    while (this.#buffer.length >= 8) {
      const length = this.#buffer.readUIntBE(5, 3);
      if (this.#buffer.length < 8 + length) break;
      const head = this.#buffer.readUInt32BE(0);
      const flags = this.#buffer[4] ?? 0;
      const body = this.#buffer.subarray(8, 8 + length);
      if (head & 0x80000000) {
        const version = (head >>> 16) & 0x7fff;
        if (version !== SPDY_VERSION) {
          throw new SpdyProtocolError(`unsupported SPDY version ${version}; this server speaks SPDY/3.1`);
        }
        frames.push({ kind: 'control', type: head & 0xffff, version, flags, payload: Buffer.from(body) });
      } else {
        frames.push({ kind: 'data', streamId: head & 0x7fffffff, flags, data: Buffer.from(body) });
      }
      this.#buffer = this.#buffer.subarray(8 + length);
    }
    return frames;
  }
}

function control(type: number, flags: number, payload: Buffer): Buffer {
  if (payload.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload above 16 MiB');
  const head = Buffer.alloc(8);
  head.writeUInt32BE((0x80000000 | (SPDY_VERSION << 16) | type) >>> 0, 0);
  head[4] = flags;
  head.writeUIntBE(payload.length, 5, 3);
  return Buffer.concat([head, payload]);
}

const u32 = (...values: number[]): Buffer => {
  const buf = Buffer.alloc(4 * values.length);
  values.forEach((v, i) => {
    buf.writeUInt32BE(v >>> 0, i * 4);
  });
  return buf;
};

export function dataFrame(streamId: number, data: Buffer, fin = false): Buffer {
  if (data.length > MAX_FRAME_PAYLOAD) throw new RangeError('SPDY frame payload above 16 MiB');
  const head = Buffer.alloc(8);
  head.writeUInt32BE(streamId & 0x7fffffff, 0);
  head[4] = fin ? FLAG_FIN : 0;
  head.writeUIntBE(data.length, 5, 3);
  return Buffer.concat([head, data]);
}

/** SYN_REPLY carrying an already compressed header block. */
export function synReplyFrame(streamId: number, headerBlock: Buffer, fin = false): Buffer {
  return control(
    FrameType.SYN_REPLY,
    fin ? FLAG_FIN : 0,
    Buffer.concat([u32(streamId & 0x7fffffff), headerBlock]),
  );
}

/** SYN_STREAM carrying an already compressed header block (used by tests acting as the client). */
export function synStreamFrame(streamId: number, headerBlock: Buffer, flags = 0): Buffer {
  return control(
    FrameType.SYN_STREAM,
    flags,
    Buffer.concat([u32(streamId & 0x7fffffff, 0), Buffer.from([0, 0]), headerBlock]),
  );
}

export function rstStreamFrame(streamId: number, status: number): Buffer {
  return control(FrameType.RST_STREAM, 0, u32(streamId & 0x7fffffff, status));
}

export function pingFrame(id: number): Buffer {
  return control(FrameType.PING, 0, u32(id));
}

export function goAwayFrame(lastGoodStreamId: number, status = 0): Buffer {
  return control(FrameType.GOAWAY, 0, u32(lastGoodStreamId & 0x7fffffff, status));
}

/** The fixed part of a SYN_STREAM: its stream id and flags; the rest is the compressed header block. */
export function readSynStream(payload: Buffer): { streamId: number; headerBlock: Buffer } {
  if (payload.length < 10) throw new SpdyProtocolError('SYN_STREAM shorter than its fixed fields');
  return { streamId: payload.readUInt32BE(0) & 0x7fffffff, headerBlock: payload.subarray(10) };
}

/** The stream id of frames whose payload starts with one (SYN_REPLY, RST_STREAM, HEADERS, WINDOW_UPDATE). */
export function readStreamId(payload: Buffer): number {
  if (payload.length < 4) throw new SpdyProtocolError('control frame shorter than its stream id');
  return payload.readUInt32BE(0) & 0x7fffffff;
}

/** Serializes a SPDY/3 name/value block (before compression): names lowercase, values NUL-joined. */
export function encodeHeaderBlock(headers: Readonly<Record<string, string | readonly string[]>>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const nameBuf = Buffer.from(name.toLowerCase(), 'utf8');
    const valueBuf = Buffer.from(typeof value === 'string' ? value : value.join('\0'), 'utf8');
    parts.push(u32(nameBuf.length), nameBuf, u32(valueBuf.length), valueBuf);
  }
  return Buffer.concat(parts);
}

/** Parses a decompressed name/value block into lowercase names and their (NUL-split) values. */
export function decodeHeaderBlock(block: Buffer): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  let offset = 0;
  const take = (): Buffer => {
    if (offset + 4 > block.length) throw new SpdyProtocolError('header block ends inside a length');
    const length = block.readUInt32BE(offset);
    offset += 4;
    if (offset + length > block.length) throw new SpdyProtocolError('header block ends inside a value');
    const value = block.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  const count = block.length >= 4 ? block.readUInt32BE(0) : 0;
  offset = 4;
  for (let i = 0; i < count; i += 1) {
    const name = take().toString('utf8').toLowerCase();
    const values = take().toString('utf8').split('\0');
    headers[name] = [...(headers[name] ?? []), ...values];
  }
  return headers;
}
