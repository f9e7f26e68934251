import { describe, expect, it } from 'vitest';
import { LineSplitter } from './lineSplitter.js';

describe('LineSplitter', () => {
  it('joins lines split across chunks and drops keep-alive newlines', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"a":')).toEqual([]);
    expect(splitter.push('1}\n\n\n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}\n  \n')).toEqual(['{"b":2}']);
    expect(splitter.end()).toEqual([]);
  });

  it('keeps a multi-byte character split between two chunks', () => {
    const bytes = Buffer.from('{"name":"é"}\n', 'utf8');
    const cut = bytes.indexOf(0xa9);
    const splitter = new LineSplitter();
    expect(splitter.push(bytes.subarray(0, cut))).toEqual([]);
    expect(splitter.push(bytes.subarray(cut))).toEqual(['{"name":"é"}']);
  });

  it('returns a last line without a trailing newline at the end', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('{"x":1}')).toEqual([]);
    expect(splitter.end()).toEqual(['{"x":1}']);
  });
});
