/** The four PATCH flavours kube-apiserver accepts, told apart by the request's Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a Content-Type header (parameters such as `; charset=utf-8` are ignored). */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  return mediaType ? PATCH_TYPES[mediaType] : undefined;
}

export { applyJsonPatch } from './jsonPatch.js';
export { applyMergePatch } from './mergePatch.js';
export { applyServerSideApply } from './serverSideApply.js';
export { applyStrategicMergePatch } from './strategicMergePatch.js';
