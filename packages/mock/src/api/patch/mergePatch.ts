import { isObject } from './jsonObject.js';

/** Applies an RFC 7386 merge patch: objects merge recursively, `null` deletes, anything else replaces. */
export function applyMergePatch(doc: unknown, patch: unknown): unknown {
  return mergePatchInto(structuredClone(doc), structuredClone(patch));
}

function mergePatchInto(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const result = isObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchInto(result[key], value);
  }
  return result;
}
