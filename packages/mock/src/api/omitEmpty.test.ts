import { describe, expect, it } from 'vitest';
import { omitEmptyMetadata } from './omitEmpty.js';

describe('omitEmptyMetadata', () => {
  it('drops empty labels, annotations, finalizers and owner references, keeping the rest', () => {
    const obj = omitEmptyMetadata({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', labels: {}, annotations: {}, finalizers: [], ownerReferences: [] },
      data: {},
    });
    expect(obj).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: {} });
  });

  it('keeps fields that hold something', () => {
    const metadata = { name: 'a', labels: { app: 'x' }, annotations: { note: '' }, finalizers: ['f'] };
    expect(
      omitEmptyMetadata({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { ...metadata } }).metadata,
    ).toEqual(metadata);
  });
});
