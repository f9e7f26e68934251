import { isDeepStrictEqual } from 'node:util';
import { badRequest, KubeApiError } from '../../kubeApiError.js';
import { isObject, type JsonObject } from './jsonObject.js';

const OPS = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OpName = (typeof OPS)[number];

interface Pointer {
  readonly text: string;
  readonly tokens: readonly string[];
}

interface Operation {
  readonly op: OpName;
  readonly path: Pointer;
  readonly from: Pointer;
  readonly value: unknown;
}

/**
 * Applies an RFC 6902 JSON patch (client-node's default patch) and returns a new document; the input
 * is never changed.
 * @throws KubeApiError 400 BadRequest for malformed operations, 422 Invalid when an operation does not
 * apply (a missing path, an index out of range, a failed `test`).
 */
export function applyJsonPatch(doc: unknown, ops: unknown): unknown {
  return parseOperations(ops).reduce(applyOperation, structuredClone(doc));
}

function parseOperations(ops: unknown): Operation[] {
  if (!Array.isArray(ops)) {
    throw badRequest(
      'a JSON patch must be a list of operations, such as [{"op":"add","path":"/a","value":1}]',
    );
  }
  return ops.map(parseOperation);
}

function isOpName(op: unknown): op is OpName {
  return (OPS as readonly unknown[]).includes(op);
}

function parseOperation(raw: unknown, index: number): Operation {
  const where = `JSON patch operation ${index}`;
  if (!isObject(raw)) throw badRequest(`${where} is not an object`);
  const { op } = raw;
  if (!isOpName(op)) {
    throw badRequest(`${where} has op ${JSON.stringify(op)}; use add, remove, replace, move, copy or test`);
  }
  const needsValue = op === 'add' || op === 'replace' || op === 'test';
  if (needsValue && !Object.hasOwn(raw, 'value')) throw badRequest(`${where} (${op}) has no "value"`);
  const needsFrom = op === 'move' || op === 'copy';
  return {
    op,
    path: parsePointer(raw.path, `${where} (${op}): "path"`),
    from: needsFrom ? parsePointer(raw.from, `${where} (${op}): "from"`) : { text: '', tokens: [] },
    value: structuredClone(raw.value),
  };
}

function parsePointer(raw: unknown, what: string): Pointer {
  if (typeof raw !== 'string') throw badRequest(`${what} must be a string`);
  if (raw !== '' && !raw.startsWith('/')) {
    throw badRequest(
      `${what} ${JSON.stringify(raw)} is not a JSON pointer: it must be empty or start with "/"`,
    );
  }
  if (/~([^01]|$)/.test(raw)) {
    throw badRequest(`${what} ${JSON.stringify(raw)} has a bad escape: write "~" as ~0 and "/" as ~1`);
  }
  const tokens =
    raw === ''
      ? []
      : raw
          .slice(1)
          .split('/')
          .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
  return { text: raw, tokens };
}

function applyOperation(doc: unknown, { op, path, from, value }: Operation): unknown {
  switch (op) {
    case 'add':
      return add(doc, path, value, op);
    case 'remove':
      return remove(doc, path, op);
    case 'replace':
      return replace(doc, path, value);
    case 'copy':
      return add(doc, path, structuredClone(valueAt(doc, from, op, 'from')), op);
    case 'move': {
      if (path.text.startsWith(`${from.text}/`)) {
        throw unprocessable(
          `move operation does not apply: ${from.text} cannot move into its own child ${path.text}`,
        );
      }
      const moved = valueAt(doc, from, op, 'from');
      return add(remove(doc, from, op), path, moved, op);
    }
    case 'test':
      if (!isDeepStrictEqual(valueAt(doc, path, op, 'path'), value)) {
        throw unprocessable(`testing value ${path.text} failed: test failed`);
      }
      return doc;
  }
}

function unprocessable(message: string): KubeApiError {
  return new KubeApiError('Invalid', message);
}

function missing(op: OpName, pointer: Pointer, role: 'path' | 'from'): KubeApiError {
  return unprocessable(
    `${op} operation does not apply: doc is missing ${role}: ${pointer.text}: missing value`,
  );
}

const INDEX = /^(0|[1-9][0-9]*)$/;

function child(value: unknown, token: string): unknown {
  if (Array.isArray(value)) return INDEX.test(token) ? value[Number(token)] : undefined;
  return isObject(value) && Object.hasOwn(value, token) ? value[token] : undefined;
}

function valueAt(doc: unknown, pointer: Pointer, op: OpName, role: 'path' | 'from'): unknown {
  let current = doc;
  for (const token of pointer.tokens) {
    current = child(current, token);
    if (current === undefined) throw missing(op, pointer, role);
  }
  return current;
}

/** The array or object that holds the last token of a non-empty pointer, and that token. */
function parentOf(
  doc: unknown,
  pointer: Pointer,
  op: OpName,
): { parent: unknown[] | JsonObject; key: string } {
  const parent = valueAt(doc, { text: pointer.text, tokens: pointer.tokens.slice(0, -1) }, op, 'path');
  if (!Array.isArray(parent) && !isObject(parent)) throw missing(op, pointer, 'path');
  return { parent, key: pointer.tokens.at(-1) ?? '' };
}

function existingIndex(list: unknown[], key: string, op: OpName, pointer: Pointer): number {
  if (!INDEX.test(key) || Number(key) >= list.length) throw missing(op, pointer, 'path');
  return Number(key);
}

function add(doc: unknown, pointer: Pointer, value: unknown, op: OpName): unknown {
  if (pointer.tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, pointer, op);
  if (!Array.isArray(parent)) {
    parent[key] = value;
  } else if (key === '-') {
    parent.push(value);
  } else if (INDEX.test(key) && Number(key) <= parent.length) {
    parent.splice(Number(key), 0, value);
  } else {
    throw unprocessable(`${op} operation does not apply: index out of range: ${pointer.text}`);
  }
  return doc;
}

function remove(doc: unknown, pointer: Pointer, op: OpName): unknown {
  if (pointer.tokens.length === 0)
    throw unprocessable(`${op} operation does not apply: cannot remove the document`);
  const { parent, key } = parentOf(doc, pointer, op);
  if (Array.isArray(parent)) parent.splice(existingIndex(parent, key, op, pointer), 1);
  else if (Object.hasOwn(parent, key)) delete parent[key];
  else throw missing(op, pointer, 'path');
  return doc;
}

function replace(doc: unknown, pointer: Pointer, value: unknown): unknown {
  if (pointer.tokens.length === 0) return value;
  const { parent, key } = parentOf(doc, pointer, 'replace');
  if (Array.isArray(parent)) parent[existingIndex(parent, key, 'replace', pointer)] = value;
  else if (Object.hasOwn(parent, key)) parent[key] = value;
  else throw missing('replace', pointer, 'path');
  return doc;
}
