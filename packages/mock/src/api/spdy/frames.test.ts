import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './dictionary.js';
import {
  dataFrame,
  decodeHeaderBlock,
  encodeHeaderBlock,
  FLAG_FIN,
  FrameReader,
  FrameType,
  pingFrame,
  readSynStream,
  rstStreamFrame,
  SpdyProtocolError,
  synStreamFrame,
} from './frames.js';

describe('SPDY/3 frames', () => {
  it('the header dictionary is the 1423 bytes of the spec', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1')).toBe('\0\0\0\x07options');
    expect(SPDY3_DICTIONARY.subarray(-14).toString('latin1')).toBe(',utf-,*,enq=0.');
  });

  it('a data frame carries the stream id, FIN and the bytes', () => {
    const frame = dataFrame(5, Buffer.from('hello'), true);
    expect(frame.subarray(0, 8)).toEqual(Buffer.from([0, 0, 0, 5, FLAG_FIN, 0, 0, 5]));
    expect(new FrameReader().push(frame)).toEqual([
      { kind: 'data', streamId: 5, flags: FLAG_FIN, data: Buffer.from('hello') },
    ]);
  });

  it('a control frame has the control bit, version 3 and its type', () => {
    const frame = rstStreamFrame(3, 5);
    expect(frame.subarray(0, 4)).toEqual(Buffer.from([0x80, 0x03, 0x00, FrameType.RST_STREAM]));
    const [parsed] = new FrameReader().push(frame);
    expect(parsed).toMatchObject({ kind: 'control', type: FrameType.RST_STREAM, version: 3 });
  });

  it('frames split across chunks come out whole, in order', () => {
    const bytes = Buffer.concat([pingFrame(7), dataFrame(1, Buffer.from('abc')), pingFrame(9)]);
    const reader = new FrameReader();
    const frames = [];
    for (let i = 0; i < bytes.length; i += 3) frames.push(...reader.push(bytes.subarray(i, i + 3)));
    expect(frames.map((f) => f.kind)).toEqual(['control', 'data', 'control']);
    expect(frames[1]).toMatchObject({ streamId: 1, data: Buffer.from('abc') });
  });

  it('a frame of another SPDY version is a protocol error', () => {
    const frame = pingFrame(1);
    frame[1] = 2;
    expect(() => new FrameReader().push(frame)).toThrow(SpdyProtocolError);
  });

  it('SYN_STREAM keeps its stream id and header block', () => {
    const block = Buffer.from('compressed');
    const [frame] = new FrameReader().push(synStreamFrame(9, block));
    expect(frame?.kind).toBe('control');
    if (frame?.kind !== 'control') return;
    expect(readSynStream(frame.payload)).toEqual({ streamId: 9, headerBlock: block });
  });

  it('name/value blocks round-trip, names lowercase and values split on NUL', () => {
    const block = encodeHeaderBlock({ streamType: 'data', Port: '8080', multi: ['a', 'b'] });
    expect(decodeHeaderBlock(block)).toEqual({ streamtype: ['data'], port: ['8080'], multi: ['a', 'b'] });
  });

  it('a truncated name/value block is a protocol error', () => {
    const block = encodeHeaderBlock({ port: '8080' });
    expect(() => decodeHeaderBlock(block.subarray(0, block.length - 2))).toThrow(SpdyProtocolError);
  });
});
