import { once } from 'node:events';
import net from 'node:net';
import zlib from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/waitFor.js';
import { noopLogger } from '../../logger.js';
import { SPDY3_DICTIONARY } from './dictionary.js';
import {
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  FrameReader,
  FrameType,
  pingFrame,
  readStreamId,
  type SpdyFrame,
  synStreamFrame,
} from './frames.js';
import { SpdySession, type SpdyStream } from './session.js';

/** A SPDY client over a real socket: compresses its header blocks as Go's framer does. */
class TestClient {
  readonly socket: net.Socket;
  readonly frames: SpdyFrame[] = [];
  readonly #reader = new FrameReader();
  readonly #deflate = zlib.createDeflate({ dictionary: SPDY3_DICTIONARY });
  readonly #inflate = zlib.createInflate({ dictionary: SPDY3_DICTIONARY });

  constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.#reader.push(chunk)));
  }

  #zlib(stream: zlib.Deflate | zlib.Inflate, input: Buffer): Promise<Buffer> {
    return new Promise((resolve) => {
      stream.write(input);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        const chunks: Buffer[] = [];
        for (let c = stream.read() as Buffer | null; c !== null; c = stream.read() as Buffer | null)
          chunks.push(c);
        resolve(Buffer.concat(chunks));
      });
    });
  }

  async open(id: number, headers: Record<string, string>): Promise<void> {
    this.socket.write(synStreamFrame(id, await this.#zlib(this.#deflate, encodeHeaderBlock(headers))));
  }

  /** Inflates a SYN_REPLY's header block with this client's zlib stream. */
  async replyHeaders(frame: SpdyFrame): Promise<Record<string, string[]>> {
    if (frame.kind !== 'control') throw new Error('not a control frame');
    return decodeHeaderBlock(await this.#zlib(this.#inflate, frame.payload.subarray(4)));
  }

  control(type: number): SpdyFrame[] {
    return this.frames.filter((f) => f.kind === 'control' && f.type === type);
  }

  dataOf(streamId: number): { text: string; fin: boolean } {
    const frames = this.frames.filter((f) => f.kind === 'data' && f.streamId === streamId);
    return {
      text: Buffer.concat(frames.map((f) => (f.kind === 'data' ? f.data : Buffer.alloc(0)))).toString(),
      fin: frames.some((f) => (f.flags & FLAG_FIN) !== 0),
    };
  }
}

describe('SpdySession', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  async function connect(
    onStream: (stream: SpdyStream) => void,
  ): Promise<{ client: TestClient; sessions: SpdySession[] }> {
    const sessions: SpdySession[] = [];
    const server = net.createServer((socket) =>
      sessions.push(new SpdySession(socket, { onStream, logger: noopLogger })),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    cleanups.push(() => {
      socket.destroy();
      for (const session of sessions) session.close();
      server.close();
    });
    return { client: new TestClient(socket), sessions };
  }

  it('accepts a stream with an empty SYN_REPLY and carries data both ways, FIN included', async () => {
    const seen: SpdyStream[] = [];
    const { client } = await connect((stream) => {
      seen.push(stream);
      stream.pipe(stream);
    });
    await client.open(1, { streamType: 'data', port: '8080', requestID: '0' });
    const reply = await waitFor('SYN_REPLY', () => client.control(FrameType.SYN_REPLY)[0]);
    expect(readStreamId(reply.kind === 'control' ? reply.payload : Buffer.alloc(0))).toBe(1);
    expect(await client.replyHeaders(reply)).toEqual({});
    expect(seen[0]?.header('streamType')).toBe('data');
    expect(seen[0]?.header('port')).toBe('8080');
    client.socket.write(dataFrame(1, Buffer.from('ping me')));
    client.socket.write(dataFrame(1, Buffer.alloc(0), true));
    const echoed = await waitFor('the echo and its FIN', () => {
      const data = client.dataOf(1);
      return data.fin ? data : undefined;
    });
    expect(echoed.text).toBe('ping me');
  });

  it('keeps one header compression context across streams', async () => {
    const ports: string[] = [];
    const { client } = await connect((stream) => {
      ports.push(stream.header('port') ?? '');
    });
    await client.open(1, { port: '1' });
    await client.open(3, { port: '2' });
    await client.open(5, { port: '3' });
    const replies = await waitFor('three replies', () => {
      const found = client.control(FrameType.SYN_REPLY);
      return found.length === 3 ? found : undefined;
    });
    for (const reply of replies) expect(await client.replyHeaders(reply)).toEqual({});
    expect(ports).toEqual(['1', '2', '3']);
  });

  it('echoes PING and resets data for a stream it does not know', async () => {
    const { client } = await connect(() => {});
    client.socket.write(pingFrame(41));
    client.socket.write(dataFrame(7, Buffer.from('stray')));
    const ping = await waitFor('PING', () => client.control(FrameType.PING)[0]);
    expect(ping.kind === 'control' && ping.payload.readUInt32BE(0)).toBe(41);
    const rst = await waitFor('RST_STREAM', () => client.control(FrameType.RST_STREAM)[0]);
    expect(rst.kind === 'control' && readStreamId(rst.payload)).toBe(7);
  });

  it('refuses a stream its handler rejects with RST_STREAM REFUSED_STREAM', async () => {
    const { client } = await connect(() => {
      throw new Error('invalid stream type');
    });
    await client.open(1, { streamType: 'bogus' });
    const rst = await waitFor('RST_STREAM', () => client.control(FrameType.RST_STREAM)[0]);
    expect(rst.kind === 'control' && rst.payload.readUInt32BE(4)).toBe(3);
  });

  it('ends every stream when the connection goes, and answers garbage with GOAWAY', async () => {
    const streams: SpdyStream[] = [];
    const { client } = await connect((stream) => streams.push(stream));
    await client.open(1, { port: '1' });
    await waitFor('the stream', () => streams[0]);
    client.socket.write(Buffer.from([0x80, 0x02, 0, 6, 0, 0, 0, 4, 0, 0, 0, 1]));
    await waitFor('GOAWAY', () => client.control(FrameType.GOAWAY)[0]);
    await waitFor('the stream to be destroyed', () => streams[0]?.destroyed);
  });
});
