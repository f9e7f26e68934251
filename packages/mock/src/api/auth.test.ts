import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import {
  AccessControl,
  ADMIN_RULES,
  isPublicPath,
  parseTokenFlag,
  type RequestAttributes,
  type UserInfo,
  type UserSpec,
} from './auth.js';

const alice: UserSpec = {
  name: 'alice',
  token: 'alice-token',
  groups: ['developers'],
  rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'], namespaces: ['default'] }],
};

function accessFor(...rules: UserSpec['rules']): { access: AccessControl; user: UserInfo } {
  const access = new AccessControl({ users: [{ ...alice, rules }], anonymous: 'deny' });
  return { access, user: access.authenticate('Bearer alice-token') };
}

function caught(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('expected a KubeApiError');
}

const getConfigMap: RequestAttributes = {
  verb: 'get',
  apiGroup: '',
  resource: 'configmaps',
  namespace: 'default',
  name: 'x',
};

describe('authenticate', () => {
  it('knows a user by its bearer token, whatever the scheme case', () => {
    const access = new AccessControl({ users: [alice] });

    const user = access.authenticate('bearer alice-token');

    expect(user).toEqual({
      username: 'alice',
      uid: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      groups: ['developers', 'system:authenticated'],
    });
    expect(new AccessControl({ users: [alice] }).authenticate('Bearer alice-token').uid).toBe(user.uid);
  });

  it('treats a request without a token as an all-powerful anonymous user by default', () => {
    const access = new AccessControl({ users: [alice] });

    const user = access.authenticate(undefined);

    expect(user.username).toBe('system:anonymous');
    expect(user.groups).toEqual(['system:unauthenticated']);
    expect(
      access.authorize(user, { ...getConfigMap, verb: 'delete', namespace: 'kube-system' }).allowed,
    ).toBe(true);
  });

  it('answers 401 to a request without a token when anonymous is deny', () => {
    const access = new AccessControl({ users: [alice], anonymous: 'deny' });

    for (const header of [undefined, '', 'Bearer ', 'Basic YWxpY2U6cHc=']) {
      const error = caught(() => access.authenticate(header));
      expect(error.toStatus()).toMatchObject({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    }
  });

  it('answers 401 to an unknown token even when anonymous is admin', () => {
    const access = new AccessControl({ users: [alice], anonymous: 'admin' });

    expect(caught(() => access.authenticate('Bearer nobody-has-this')).code).toBe(401);
  });

  it('stops accepting the token of a removed user', () => {
    const access = new AccessControl({ users: [alice] });

    access.removeUser('alice');

    expect(caught(() => access.authenticate('Bearer alice-token')).reason).toBe('Unauthorized');
    expect(access.users()).toEqual([]);
  });
});

describe('authorize', () => {
  it('allows what a rule lists and explains why', () => {
    const { access, user } = accessFor(...alice.rules);

    expect(access.authorize(user, getConfigMap)).toEqual({
      allowed: true,
      reason: 'allowed by rule 0 of user "alice"',
    });
    expect(access.authorize(user, { ...getConfigMap, verb: 'delete' })).toEqual({
      allowed: false,
      reason:
        'no rule of user "alice" allows delete resource "configmaps" in API group "" in the namespace "default"',
    });
  });

  it('reads * as every verb, group or resource', () => {
    const { access, user } = accessFor({ apiGroups: ['*'], resources: ['*'], verbs: ['get'] });

    expect(
      access.authorize(user, { ...getConfigMap, apiGroup: 'apps', resource: 'deployments' }).allowed,
    ).toBe(true);
    expect(access.authorize(user, { ...getConfigMap, resource: 'pods', subresource: 'log' }).allowed).toBe(
      true,
    );
    expect(access.authorize(user, { ...getConfigMap, verb: 'list' }).allowed).toBe(false);
  });

  it('keeps a rule with namespaces inside those namespaces', () => {
    const { access, user } = accessFor(...alice.rules);
    const list = { verb: 'list', apiGroup: '', resource: 'configmaps' };

    expect(access.authorize(user, { ...list, namespace: 'default' }).allowed).toBe(true);
    expect(access.authorize(user, { ...list, namespace: 'kube-system' }).allowed).toBe(false);
    expect(access.authorize(user, { ...list, namespace: '' }).allowed).toBe(false);
  });

  it('applies a rule without namespaces everywhere, cluster scope included', () => {
    const { access, user } = accessFor({
      apiGroups: [''],
      resources: ['namespaces', 'configmaps'],
      verbs: ['list'],
    });

    expect(
      access.authorize(user, { verb: 'list', apiGroup: '', resource: 'namespaces', namespace: '' }).allowed,
    ).toBe(true);
    expect(
      access.authorize(user, { verb: 'list', apiGroup: '', resource: 'configmaps', namespace: '' }).allowed,
    ).toBe(true);
  });

  it('grants a subresource only when it is named', () => {
    const { access, user } = accessFor(
      { apiGroups: [''], resources: ['pods'], verbs: ['get'] },
      { apiGroups: ['apps'], resources: ['*/scale'], verbs: ['update'] },
      { apiGroups: [''], resources: ['pods/log'], verbs: ['get'], namespaces: ['team'] },
    );
    const podLog = { verb: 'get', apiGroup: '', resource: 'pods', subresource: 'log', name: 'web' };

    expect(access.authorize(user, { ...podLog, namespace: 'other' }).allowed).toBe(false);
    expect(access.authorize(user, { ...podLog, namespace: 'team' }).allowed).toBe(true);
    expect(access.authorize(user, { ...podLog, subresource: 'exec', namespace: 'team' }).allowed).toBe(false);
    const scale = { verb: 'update', apiGroup: 'apps', subresource: 'scale', namespace: 'team', name: 'web' };
    expect(access.authorize(user, { ...scale, resource: 'deployments' }).allowed).toBe(true);
    expect(access.authorize(user, { ...scale, resource: 'replicasets' }).allowed).toBe(true);
    expect(
      access.authorize(user, { ...scale, resource: 'deployments', subresource: undefined }).allowed,
    ).toBe(false);
  });

  it('limits a rule with resourceNames to those objects, so it never allows a list', () => {
    const { access, user } = accessFor({
      apiGroups: [''],
      resources: ['secrets'],
      verbs: ['get', 'list'],
      resourceNames: ['tls'],
    });
    const secret = { verb: 'get', apiGroup: '', resource: 'secrets', namespace: 'default' };

    expect(access.authorize(user, { ...secret, name: 'tls' }).allowed).toBe(true);
    expect(access.authorize(user, { ...secret, name: 'db' }).allowed).toBe(false);
    expect(access.authorize(user, { ...secret, verb: 'list' }).allowed).toBe(false);
  });

  it('lets members of system:masters do anything', () => {
    const access = new AccessControl({ users: [{ ...alice, groups: ['system:masters'], rules: [] }] });
    const user = access.authenticate('Bearer alice-token');

    expect(access.authorize(user, { ...getConfigMap, verb: 'delete' }).allowed).toBe(true);
  });

  it('allows nothing to a user without rules', () => {
    const { access, user } = accessFor();

    expect(access.authorize(user, getConfigMap).allowed).toBe(false);
  });
});

describe('assertAllowed', () => {
  const { access, user } = accessFor(...alice.rules);

  it('throws Forbidden worded as kube-apiserver words it', () => {
    const error = caught(() => access.assertAllowed(user, { ...getConfigMap, verb: 'delete' }));

    expect(error.toStatus()).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'configmaps "x" is forbidden: User "alice" cannot delete resource "configmaps" in API group "" in the namespace "default"',
      reason: 'Forbidden',
      details: { name: 'x', group: '', kind: 'configmaps' },
      code: 403,
    });
  });

  it('words requests without a name, in a group and at the cluster scope', () => {
    const messageOf = (attrs: RequestAttributes) => caught(() => access.assertAllowed(user, attrs)).message;

    expect(messageOf({ verb: 'list', apiGroup: '', resource: 'secrets', namespace: 'default' })).toBe(
      'secrets is forbidden: User "alice" cannot list resource "secrets" in API group "" in the namespace "default"',
    );
    expect(
      messageOf({ verb: 'get', apiGroup: 'apps', resource: 'deployments', namespace: 'team', name: 'web' }),
    ).toBe(
      'deployments.apps "web" is forbidden: User "alice" cannot get resource "deployments" in API group "apps" in the namespace "team"',
    );
    expect(
      messageOf({ verb: 'delete', apiGroup: '', resource: 'namespaces', namespace: '', name: 'team' }),
    ).toBe(
      'namespaces "team" is forbidden: User "alice" cannot delete resource "namespaces" in API group "" at the cluster scope',
    );
    expect(
      messageOf({
        verb: 'get',
        apiGroup: '',
        resource: 'pods',
        subresource: 'log',
        namespace: 'default',
        name: 'web',
      }),
    ).toBe(
      'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
  });

  it('returns quietly when allowed', () => {
    expect(() => access.assertAllowed(user, getConfigMap)).not.toThrow();
  });
});

describe('non-resource paths', () => {
  it.each([
    '/version',
    '/version?timeout=5s',
    '/api',
    '/api/v1',
    '/apis',
    '/apis/apps',
    '/apis/discovery.k8s.io/v1/',
    '/openapi/v3',
    '/openapi/v3/apis/apps/v1',
    '/healthz',
    '/readyz/ping',
    '/livez',
  ])('%s is public', (path) => {
    expect(isPublicPath(path)).toBe(true);
  });

  it.each([
    '/',
    '/metrics',
    '/api/v1/secrets',
    '/apis/apps/v1/deployments',
    '/healthz/../api/v1/secrets',
    '/apis/%2e%2e/v1',
    '/versions',
  ])('%s is not public', (path) => {
    expect(isPublicPath(path)).toBe(false);
  });

  it('lets every authenticated user read public paths, and only read them', () => {
    const { access, user } = accessFor();

    expect(access.authorizePath(user, '/version', 'get').allowed).toBe(true);
    expect(access.authorizePath(user, '/version', 'post').allowed).toBe(false);
    expect(access.authorizePath(user, '/metrics', 'get').allowed).toBe(false);
  });
});

describe('parseTokenFlag', () => {
  it('makes an admin user from NAME=TOKEN, keeping any = in the token', () => {
    expect(parseTokenFlag('ci=dG9rZW4=')).toEqual({ name: 'ci', token: 'dG9rZW4=', rules: ADMIN_RULES });
  });

  it.each([
    ['alice', 'there is no "="'],
    ['=s3cret', 'the name is empty'],
    ['alice=', 'the token is empty'],
    ['alice=two words', 'must be non-empty printable ASCII without spaces'],
  ])('rejects %j', (flag, problem) => {
    const error = caught(() => parseTokenFlag(flag));

    expect(error.reason).toBe('BadRequest');
    expect(error.message).toContain(problem);
  });

  it('does not echo the secret in its error', () => {
    expect(caught(() => parseTokenFlag('alice=two words')).message).not.toContain('two words');
  });

  it('returns rules the caller may change without touching ADMIN_RULES', () => {
    parseTokenFlag('ci=abc').rules[0]?.verbs.push('nothing');

    expect(ADMIN_RULES).toEqual([{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]);
  });
});

describe('user table', () => {
  it('replaces a user of the same name, token included', () => {
    const access = new AccessControl({ users: [alice], anonymous: 'deny' });

    access.addUser({ ...alice, token: 'rotated', rules: ADMIN_RULES });

    expect(caught(() => access.authenticate('Bearer alice-token')).code).toBe(401);
    const user = access.authenticate('Bearer rotated');
    expect(access.authorize(user, { ...getConfigMap, verb: 'delete' }).allowed).toBe(true);
  });

  it('refuses a token that another user already has', () => {
    const access = new AccessControl({ users: [alice] });

    expect(caught(() => access.addUser({ ...alice, name: 'bob' })).message).toBe(
      'user "bob" cannot use the token of user "alice"; tokens must be unique',
    );
  });

  it('refuses malformed users and the reserved anonymous name', () => {
    const access = new AccessControl();

    expect(caught(() => access.addUser({ ...alice, name: ' ' })).reason).toBe('BadRequest');
    expect(caught(() => access.addUser({ ...alice, token: '' })).reason).toBe('BadRequest');
    expect(caught(() => access.addUser({ ...alice, name: 'system:anonymous' })).reason).toBe('BadRequest');
  });

  it('hands out copies, so callers cannot change the table behind its back', () => {
    const access = new AccessControl({ users: [alice] });

    access.users()[0]?.rules.push({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });

    expect(access.users()).toEqual([alice]);
  });
});

describe('reviews', () => {
  const access = new AccessControl({ users: [alice], anonymous: 'deny' });

  it('reports a TokenReview for known, unknown and empty tokens', () => {
    expect(access.tokenReview('alice-token')).toEqual({
      authenticated: true,
      user: access.authenticate('Bearer alice-token'),
    });
    expect(access.tokenReview('wrong')).toEqual({ authenticated: false, error: 'invalid bearer token' });
    expect(access.tokenReview('')).toEqual({ authenticated: false, error: 'token is empty' });
  });

  it('answers a SubjectAccessReview about resources', () => {
    const review = (verb: string) =>
      access.subjectAccessReview({
        user: 'alice',
        resourceAttributes: { verb, resource: 'configmaps', namespace: 'default', version: 'v1' },
      });

    expect(review('list')).toEqual({ allowed: true, reason: 'allowed by rule 0 of user "alice"' });
    expect(review('delete')).toMatchObject({ allowed: false, denied: true });
  });

  it('answers a SubjectAccessReview about a path, or for a group', () => {
    expect(
      access.subjectAccessReview({ user: 'alice', nonResourceAttributes: { path: '/api', verb: 'get' } }),
    ).toMatchObject({ allowed: true });
    expect(
      access.subjectAccessReview({
        groups: ['system:masters'],
        resourceAttributes: { verb: 'delete', resource: 'nodes' },
      }),
    ).toMatchObject({ allowed: true });
  });

  it('rejects a SubjectAccessReview without a subject or with both kinds of attributes', () => {
    expect(caught(() => access.subjectAccessReview({ resourceAttributes: { verb: 'get' } })).code).toBe(422);
    const both = caught(() =>
      access.subjectAccessReview({
        user: 'alice',
        resourceAttributes: { verb: 'get' },
        nonResourceAttributes: { path: '/api', verb: 'get' },
      }),
    );
    expect(both.reason).toBe('Invalid');
    expect(both.message).toContain(
      'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  });
});
