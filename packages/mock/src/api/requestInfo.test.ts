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
