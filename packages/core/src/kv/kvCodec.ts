import { InvalidArgumentError, KubeSmartError } from '../errors.js';
import type { KvCodec } from './kvTypes.js';

/** A value as an object stores it: text (ConfigMap `data`) or raw bytes (`binaryData`). */
export type StoredValue = { readonly text: string } | { readonly bytes: Buffer };

/** Turns values into stored values and back, for one bucket. */
export interface Codec<T> {
  encode(value: T, key: string): StoredValue;
  decode(stored: StoredValue, key: string): T;
}

/** Bytes a stored value takes in an object's data (raw bytes for binary values). */
export function storedBytes(stored: StoredValue): number {
  return 'text' in stored ? Buffer.byteLength(stored.text) : stored.bytes.length;
}

export function sameStored(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if ('text' in a) return 'text' in b && a.text === b.text;
  return 'bytes' in b && a.bytes.equals(b.bytes);
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Builds the codec of a bucket. Byte values (`Buffer`, `Uint8Array`) bypass it both ways; a schema
 * checks values before they are written (so a bad value writes nothing) and after they are read.
 */
export function createCodec<T>(codec: KvCodec<T>, bucket: string): Codec<T> {
  const invalid = (key: string, problem: string, cause?: unknown): InvalidArgumentError =>
    new InvalidArgumentError(`KV bucket "${bucket}", key "${key}": ${problem}`, {
      cause,
      details: { bucket, key },
    });
  const schema = typeof codec === 'object' && codec !== null ? codec : undefined;
  if (!schema && codec !== 'string' && codec !== 'json') {
    throw new InvalidArgumentError(
      `KV bucket "${bucket}": codec must be 'string', 'json' or a schema with a parse() method.`,
    );
  }
  const check = (value: unknown, key: string, when: string): T => {
    if (!schema) return value as T;
    try {
      return schema.parse(value);
    } catch (error) {
      throw invalid(key, `the value ${when} does not fit the schema: ${describeFailure(error)}`, error);
    }
  };
  return {
    encode(value, key) {
      if (isBytes(value)) return { bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength) };
      if (codec === 'string') {
        if (typeof value !== 'string')
          throw invalid(key, `the 'string' codec stores strings and Buffers, not a ${typeof value}.`);
        return { text: value };
      }
      let text: string | undefined;
      try {
        text = JSON.stringify(check(value, key, 'to write'));
      } catch (error) {
        if (error instanceof KubeSmartError) throw error;
        // BigInt, cycles, a throwing toJSON: JSON.stringify's own TypeError, said plainly.
        throw invalid(key, `the value cannot be stored as JSON (${(error as Error).message}).`, error);
      }
      if (text === undefined) throw invalid(key, `a ${typeof value} cannot be stored as JSON.`);
      return { text };
    },
    decode(stored, key) {
      if ('bytes' in stored) return (schema ? check(stored.bytes, key, 'read') : stored.bytes) as T;
      if (codec === 'string') return stored.text as T;
      let parsed: unknown;
      try {
        parsed = JSON.parse(stored.text);
      } catch {
        // The parser's message quotes the text: never put a (possibly secret) value in an error.
        throw invalid(key, 'the stored value is not valid JSON; fix or delete it.');
      }
      return check(parsed, key, 'read');
    },
  };
}
