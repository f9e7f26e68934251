import { describe, expect, it } from 'vitest';
import { patchTypeFromContentType } from './index.js';

describe('patchTypeFromContentType', () => {
  it.each([
    ['application/json-patch+json', 'json'],
    ['application/merge-patch+json', 'merge'],
    ['application/strategic-merge-patch+json', 'strategic'],
    ['application/apply-patch+yaml', 'apply'],
    ['application/merge-patch+json; charset=utf-8', 'merge'],
    ['Application/JSON-Patch+JSON;charset=UTF-8', 'json'],
    ['application/json', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('%j -> %j', (contentType, type) => {
    expect(patchTypeFromContentType(contentType)).toBe(type);
  });
});
