/**
 * The hub-agent protocol, version 1: JSON text frames over one WebSocket that the agent dials.
 * Every frame is an object with a `type`; {@link parseAgentFrame} and {@link parseHubFrame} validate
 * each one completely, so a malformed or hostile frame is refused before anything reads it.
 */

export const PROTOCOL_VERSION = 1;

/** Path the agent dials on the hub. */
export const AGENT_CONNECT_PATH = '/api/v3.0/cluster/agents/connect';

/** Close codes (RFC 6455 application range) and what each means. */
export const CloseCode = {
  /** The frame was not valid protocol (1008 Policy Violation). */
  PROTOCOL_ERROR: 1008,
  /** The frame was larger than the message size limit. */
  TOO_BIG: 1009,
  /** The hub is shutting down; reconnect (to another replica). */
  GOING_AWAY: 1001,
  /** A newer session of the same agent replaced this one. */
  REPLACED: 4001,
  /** No frame arrived within the heartbeat timeout. */
  HEARTBEAT_TIMEOUT: 4002,
  /** The hello was refused (wrong agent for the credential, unsupported version). */
  REFUSED: 4003,
  /** The credential was revoked while connected. */
  REVOKED: 4004,
} as const;

export interface ErrorBody {
  /** A stable code: `BAD_PARAMETER`, `NOT_FOUND`, `FORBIDDEN`, `UNKNOWN_OPERATION`, `CANCELLED`, `INTERNAL`, ... */
  readonly code: string;
  readonly message: string;
}

// --- agent -> hub ---------------------------------------------------------------------------

export interface HelloFrame {
  readonly type: 'hello';
  readonly protocol: number;
  readonly agentId: string;
  readonly clusterId: string;
  readonly agentVersion: string;
  readonly operations: readonly string[];
}

export interface ResponseFrame {
  readonly type: 'response';
  readonly id: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: ErrorBody;
}

/** One piece of a streamed response; sent only while the stream has credit. */
export interface ChunkFrame {
  readonly type: 'chunk';
  readonly id: number;
  readonly data: string;
}

/** The end of a stream, with the error that ended it early, if any. */
export interface EndFrame {
  readonly type: 'end';
  readonly id: number;
  readonly error?: ErrorBody;
}

export interface PongFrame {
  readonly type: 'pong';
  readonly nonce: number;
}

export type AgentFrame = HelloFrame | ResponseFrame | ChunkFrame | EndFrame | PongFrame;

// --- hub -> agent ---------------------------------------------------------------------------

export interface WelcomeFrame {
  readonly type: 'welcome';
  readonly protocol: number;
  readonly sessionId: string;
  readonly heartbeatMs: number;
  /** Chunks a stream may have in flight before the hub grants more credit. */
  readonly window: number;
  readonly maxFrameBytes: number;
}

export interface RequestFrame {
  readonly type: 'request';
  readonly id: number;
  readonly op: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** Time the hub waits for the answer (or for the first chunk of a stream), in ms. */
  readonly timeoutMs: number;
}

export interface CancelFrame {
  readonly type: 'cancel';
  readonly id: number;
}

/** More room for stream `id`: the agent may send `chunks` more chunks. */
export interface CreditFrame {
  readonly type: 'credit';
  readonly id: number;
  readonly chunks: number;
}

export interface PingFrame {
  readonly type: 'ping';
  readonly nonce: number;
}

export type HubFrame = WelcomeFrame | RequestFrame | CancelFrame | CreditFrame | PingFrame;

/** A frame that is not valid protocol; the receiver closes the connection with {@link CloseCode.PROTOCOL_ERROR}. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

const ID = /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/;

/** Agent and cluster ids: lowercase DNS-label-like, 1-63 characters. */
export function isValidId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

type Json = Record<string, unknown>;

function object(text: string | Buffer, maxBytes: number): Json {
  const size = typeof text === 'string' ? Buffer.byteLength(text) : text.length;
  if (size > maxBytes) throw new ProtocolError(`frame of ${size} bytes is over the ${maxBytes}-byte limit`);
  let value: unknown;
  try {
    value = JSON.parse(typeof text === 'string' ? text : text.toString('utf8'));
  } catch {
    throw new ProtocolError('frame is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProtocolError('frame is not a JSON object');
  }
  return value as Json;
}

function requestId(frame: Json): number {
  const id = frame.id;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new ProtocolError(`${String(frame.type)} frame needs a positive integer id`);
  }
  return id;
}

function errorBody(value: unknown, where: string): ErrorBody {
  const e = value as Json | null;
  if (typeof e !== 'object' || e === null || typeof e.code !== 'string' || typeof e.message !== 'string') {
    throw new ProtocolError(`${where}: error needs a string code and message`);
  }
  return { code: e.code.slice(0, 64), message: e.message.slice(0, 2000) };
}

function text(frame: Json, field: string, max: number): string {
  const value = frame[field];
  if (typeof value !== 'string' || value.length > max) {
    throw new ProtocolError(
      `${String(frame.type)} frame needs a string ${field} of at most ${max} characters`,
    );
  }
  return value;
}

/** Validates a frame an agent sent. Throws {@link ProtocolError} naming what is wrong. */
export function parseAgentFrame(raw: string | Buffer, maxBytes: number): AgentFrame {
  const frame = object(raw, maxBytes);
  switch (frame.type) {
    case 'hello': {
      if (frame.protocol !== PROTOCOL_VERSION) {
        throw new ProtocolError(
          `protocol ${String(frame.protocol)} is not supported (this side speaks ${PROTOCOL_VERSION})`,
        );
      }
      if (!isValidId(frame.agentId))
        throw new ProtocolError('hello needs an agentId (lowercase, 1-63 characters)');
      if (!isValidId(frame.clusterId))
        throw new ProtocolError('hello needs a clusterId (lowercase, 1-63 characters)');
      const operations = frame.operations;
      if (
        !Array.isArray(operations) ||
        operations.length > 64 ||
        !operations.every((o) => typeof o === 'string')
      ) {
        throw new ProtocolError('hello needs operations, a list of operation names');
      }
      return {
        type: 'hello',
        protocol: PROTOCOL_VERSION,
        agentId: frame.agentId,
        clusterId: frame.clusterId,
        agentVersion: text(frame, 'agentVersion', 64),
        operations: operations as string[],
      };
    }
    case 'response': {
      const id = requestId(frame);
      if (typeof frame.ok !== 'boolean') throw new ProtocolError('response frame needs a boolean ok');
      if (frame.ok) return { type: 'response', id, ok: true, result: frame.result };
      return { type: 'response', id, ok: false, error: errorBody(frame.error, 'response') };
    }
    case 'chunk':
      return { type: 'chunk', id: requestId(frame), data: text(frame, 'data', maxBytes) };
    case 'end': {
      const id = requestId(frame);
      return frame.error === undefined
        ? { type: 'end', id }
        : { type: 'end', id, error: errorBody(frame.error, 'end') };
    }
    case 'pong':
      if (typeof frame.nonce !== 'number') throw new ProtocolError('pong frame needs a number nonce');
      return { type: 'pong', nonce: frame.nonce };
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(String(frame.type)).slice(0, 40)}`);
  }
}

function positive(frame: Json, field: string): number {
  const value = frame[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new ProtocolError(`${String(frame.type)} frame needs a positive integer ${field}`);
  }
  return value;
}

/** Validates a frame the hub sent. Throws {@link ProtocolError} naming what is wrong. */
export function parseHubFrame(raw: string | Buffer, maxBytes: number): HubFrame {
  const frame = object(raw, maxBytes);
  switch (frame.type) {
    case 'welcome':
      if (frame.protocol !== PROTOCOL_VERSION)
        throw new ProtocolError(`hub speaks protocol ${String(frame.protocol)}`);
      return {
        type: 'welcome',
        protocol: PROTOCOL_VERSION,
        sessionId: text(frame, 'sessionId', 128),
        heartbeatMs: positive(frame, 'heartbeatMs'),
        window: positive(frame, 'window'),
        maxFrameBytes: positive(frame, 'maxFrameBytes'),
      };
    case 'request': {
      const params = frame.params;
      if (typeof params !== 'object' || params === null || Array.isArray(params)) {
        throw new ProtocolError('request frame needs params, an object');
      }
      return {
        type: 'request',
        id: requestId(frame),
        op: text(frame, 'op', 64),
        params: params as Record<string, unknown>,
        timeoutMs: positive(frame, 'timeoutMs'),
      };
    }
    case 'cancel':
      return { type: 'cancel', id: requestId(frame) };
    case 'credit':
      return { type: 'credit', id: requestId(frame), chunks: positive(frame, 'chunks') };
    case 'ping':
      if (typeof frame.nonce !== 'number') throw new ProtocolError('ping frame needs a number nonce');
      return { type: 'ping', nonce: frame.nonce };
    default:
      throw new ProtocolError(`unknown frame type ${JSON.stringify(String(frame.type)).slice(0, 40)}`);
  }
}

/** Serializes a frame. */
export function encodeFrame(frame: AgentFrame | HubFrame): string {
  return JSON.stringify(frame);
}
