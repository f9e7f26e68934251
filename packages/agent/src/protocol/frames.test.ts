import { describe, expect, it } from 'vitest';
import { encodeFrame, PROTOCOL_VERSION, ProtocolError, parseAgentFrame, parseHubFrame } from './frames.js';
import { ParameterError, validateParams } from './operations.js';

const hello = {
  type: 'hello',
  protocol: PROTOCOL_VERSION,
  agentId: 'agent-1',
  clusterId: 'prod',
  agentVersion: '0.1.0',
  operations: ['namespaces'],
};

describe('frames', () => {
  it('round-trips every frame type', () => {
    expect(parseAgentFrame(encodeFrame(hello as never), 1024)).toEqual(hello);
    expect(parseAgentFrame('{"type":"response","id":3,"ok":true,"result":{"a":1}}', 1024)).toEqual({
      type: 'response',
      id: 3,
      ok: true,
      result: { a: 1 },
    });
    expect(parseAgentFrame('{"type":"end","id":3,"error":{"code":"X","message":"y"}}', 1024)).toEqual({
      type: 'end',
      id: 3,
      error: { code: 'X', message: 'y' },
    });
    expect(parseHubFrame('{"type":"credit","id":2,"chunks":4}', 1024)).toEqual({
      type: 'credit',
      id: 2,
      chunks: 4,
    });
    expect(
      parseHubFrame('{"type":"request","id":1,"op":"pods","params":{},"timeoutMs":30000}', 1024),
    ).toMatchObject({
      op: 'pods',
    });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['an array', '[1]', /not a JSON object/],
    ['an unknown type', '{"type":"exec"}', /unknown frame type/],
    ['a bad id', '{"type":"chunk","id":-1,"data":"x"}', /positive integer id/],
    ['a response without ok', '{"type":"response","id":1}', /boolean ok/],
    ['an error without a code', '{"type":"response","id":1,"ok":false,"error":{}}', /string code/],
    ['another protocol', JSON.stringify({ ...hello, protocol: 2 }), /protocol 2 is not supported/],
    ['an upper-case agent id', JSON.stringify({ ...hello, agentId: 'Agent' }), /agentId/],
  ])('refuses %s', (_what, frame, message) => {
    expect(() => parseAgentFrame(frame, 1024)).toThrow(ProtocolError);
    expect(() => parseAgentFrame(frame, 1024)).toThrow(message);
  });

  it('refuses a frame over the size limit before parsing it', () => {
    expect(() =>
      parseAgentFrame(JSON.stringify({ type: 'pong', nonce: 1, pad: 'x'.repeat(2000) }), 1024),
    ).toThrow(/over the 1024-byte limit/);
  });
});

describe('operation parameters', () => {
  it('normalizes query-string values', () => {
    expect(validateParams('pods', { namespace: 'shop', broken: 'true' })).toEqual({
      namespace: 'shop',
      broken: true,
    });
    expect(validateParams('logs', { namespace: 'shop', pod: 'web-1', tailLines: '10' })).toEqual({
      namespace: 'shop',
      pod: 'web-1',
      tailLines: 10,
    });
  });

  it.each([
    ['namespaces', { extra: '1' }, 'extra'],
    ['pods', { namespace: 'Not_A_Name' }, 'namespace'],
    ['events', { limit: '5000' }, 'limit'],
    ['logs', { namespace: 'shop' }, 'pod'],
  ] as const)('%s: names the bad parameter', (op, raw, parameter) => {
    try {
      validateParams(op, raw);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ParameterError);
      expect((error as ParameterError).parameter).toBe(parameter);
    }
  });
});
