import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import type { KubeObject } from '../types.js';
import { parseFieldSelector } from './fieldSelector.js';
import { resourceByPath } from './resources.js';

const PODS = resourceByPath('v1', 'pods')!;
const SECRETS = resourceByPath('v1', 'secrets')!;
const NAMESPACES = resourceByPath('v1', 'namespaces')!;

function pod(name: string, phase?: string, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: nodeName ? { nodeName } : {},
    status: phase ? { phase } : {},
  };
}

function thrown(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error('nothing was thrown');
}

describe('parseFieldSelector', () => {
  it('matches everything when empty', () => {
    const selector = parseFieldSelector('', PODS);
    expect(selector.requirements).toEqual([]);
    expect(selector.matches(pod('a'))).toBe(true);
  });

  it('reads =, == and != and ANDs the terms', () => {
    const selector = parseFieldSelector('status.phase==Running,metadata.name!=b,spec.nodeName=n1', PODS);
    expect(selector.requirements).toEqual([
      { field: 'metadata.name', op: '!=', value: 'b' },
      { field: 'spec.nodeName', op: '=', value: 'n1' },
      { field: 'status.phase', op: '=', value: 'Running' },
    ]);
    expect(selector.matches(pod('a', 'Running', 'n1'))).toBe(true);
    expect(selector.matches(pod('b', 'Running', 'n1'))).toBe(false);
    expect(selector.matches(pod('a', 'Pending', 'n1'))).toBe(false);
  });

  it('reads a missing field as the empty string', () => {
    expect(parseFieldSelector('spec.nodeName=', PODS).matches(pod('a'))).toBe(true);
    expect(parseFieldSelector('spec.nodeName!=', PODS).matches(pod('a', 'Pending', 'n1'))).toBe(true);
  });

  it('supports metadata.namespace, and reads it as empty for cluster-scoped kinds', () => {
    expect(parseFieldSelector('metadata.namespace=default', PODS).matches(pod('a'))).toBe(true);
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } };
    expect(parseFieldSelector('metadata.namespace=', NAMESPACES).matches(ns)).toBe(true);
  });

  it('supports the per-kind fields of the resource type', () => {
    const tls: KubeObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's' },
      type: 'kubernetes.io/tls',
    };
    expect(parseFieldSelector('type=kubernetes.io/tls', SECRETS).matches(tls)).toBe(true);
  });

  it('unescapes \\, \\= and \\\\ in values', () => {
    const selector = parseFieldSelector('metadata.name=a\\,b\\=c\\\\d,status.phase=Running', PODS);
    expect(selector.requirements.map((r) => r.value)).toEqual(['a,b=c\\d', 'Running']);
    expect(selector.matches(pod('a,b=c\\d', 'Running'))).toBe(true);
  });

  it('answers 400 `field label not supported: <field>` for a field the kind does not support', () => {
    const error = thrown(() => parseFieldSelector('metadata.name=a,status.podIP=1.2.3.4', SECRETS));
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
    expect(error.message).toBe('field label not supported: status.podIP');
  });

  it.each([
    ['status.phase', "invalid selector: 'status.phase'; can't understand 'status.phase'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    [
      'status.phase in (a)',
      "invalid selector: 'status.phase in (a)'; can't understand 'status.phase in (a)'",
    ],
    ['metadata.name=a=b', 'invalid field selector: unescaped character in value: 61'],
    ['metadata.name=a\\b', 'invalid field selector: invalid escape sequence: \\b'],
    ['metadata.name=a\\', 'invalid field selector: invalid escape sequence: \\'],
  ])('rejects %j with a 400 worded like kube-apiserver', (text, message) => {
    const error = thrown(() => parseFieldSelector(text, PODS));
    expect(error.code).toBe(400);
    expect(error.message).toBe(message);
  });
});
