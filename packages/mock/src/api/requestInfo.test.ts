import { describe, expect, it } from 'vitest';
import { parseRequest, queryFlag } from './requestInfo.js';

const url = (path: string) => new URL(path, 'https://127.0.0.1:6443');

describe('requestInfo', () => {
  it('reads boolean query parameters as Go strconv.ParseBool does', () => {
    for (const value of ['1', 't', 'T', 'true', 'TRUE', 'True']) {
      expect(queryFlag(new URLSearchParams({ watch: value }), 'watch')).toBe(true);
    }
    for (const value of ['0', 'f', 'false', 'False', '', 'yes', 'tRUE']) {
      expect(queryFlag(new URLSearchParams({ watch: value }), 'watch')).toBe(false);
    }
    expect(queryFlag(new URLSearchParams(), 'watch')).toBe(false);
  });

  it('makes a list with watch=True (as the Python client sends it) a watch', () => {
    const info = parseRequest('GET', url('/api/v1/namespaces/default/configmaps?watch=True'));
    expect(info).toMatchObject({ kind: 'resource', verb: 'watch', namespace: 'default' });
    expect(parseRequest('GET', url('/api/v1/namespaces/default/configmaps?watch=false'))).toMatchObject({
      verb: 'list',
    });
  });
});

describe('requestInfo: watch paths', () => {
  it('serves /api/v1/watch/namespaces/{ns}/{plural} as a watch of the collection', () => {
    const info = parseRequest('GET', url('/api/v1/watch/namespaces/default/configmaps?resourceVersion=4'));
    expect(info).toMatchObject({ kind: 'resource', verb: 'watch', namespace: 'default', name: undefined });
    if (info.kind !== 'resource') throw new Error('not a resource request');
    expect(info.resource.plural).toBe('configmaps');
    expect(info.query.get('resourceVersion')).toBe('4');
    expect(parseRequest('GET', url('/apis/apps/v1/watch/deployments'))).toMatchObject({
      verb: 'watch',
      namespace: undefined,
    });
  });

  it('narrows a watch of one object to its name, keeping the given field selector', () => {
    const info = parseRequest(
      'GET',
      url('/api/v1/watch/namespaces/default/pods/web?fieldSelector=spec.nodeName%3Dn1'),
    );
    if (info.kind !== 'resource') throw new Error('not a resource request');
    expect(info.query.get('fieldSelector')).toBe('spec.nodeName=n1,metadata.name=web');
    const param = parseRequest('GET', url('/api/v1/namespaces/default/configmaps/one?watch=1'));
    if (param.kind !== 'resource') throw new Error('not a resource request');
    expect(param).toMatchObject({ verb: 'watch', name: 'one' });
    expect(param.query.get('fieldSelector')).toBe('metadata.name=one');
  });

  it('answers 404 for a watch path with a subresource or a method other than GET', () => {
    expect(() => parseRequest('GET', url('/api/v1/watch/namespaces/default/pods/web/log'))).toThrow(
      'the server could not find the requested resource',
    );
    expect(() => parseRequest('POST', url('/api/v1/watch/namespaces/default/configmaps'))).toThrow(
      'the server could not find the requested resource',
    );
  });
});
