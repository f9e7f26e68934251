import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import { AccessControl, ADMIN_RULES, type UserInfo } from './auth.js';
import { impersonatedUser } from './impersonation.js';

const access = new AccessControl({
  anonymous: 'deny',
  users: [
    { name: 'admin', token: 'admin-token', rules: ADMIN_RULES },
    {
      name: 'support',
      token: 'support-token',
      rules: [
        { apiGroups: [''], resources: ['users'], verbs: ['impersonate'], resourceNames: ['viewer'] },
        { apiGroups: [''], resources: ['groups'], verbs: ['impersonate'], resourceNames: ['readers'] },
        { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'], namespaces: ['shop'] },
      ],
    },
    { name: 'viewer', token: 'viewer-token', rules: [] },
  ],
});
const admin = access.authenticate('Bearer admin-token');
const support = access.authenticate('Bearer support-token');

function caught(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    if (error instanceof KubeApiError) return error;
    throw error;
  }
  throw new Error('expected a KubeApiError');
}

describe('impersonatedUser', () => {
  it('is the requester without Impersonate headers', () => {
    expect(impersonatedUser(access, support, {})).toBe(support);
  });

  it('acts as the user and groups asked for, adding system:authenticated', () => {
    const user: UserInfo = impersonatedUser(access, admin, {
      'impersonate-user': ['viewer'],
      'impersonate-group': ['readers', 'writers'],
      'impersonate-uid': ['u-1'],
    });
    expect(user).toEqual({
      username: 'viewer',
      uid: 'u-1',
      groups: ['readers', 'writers', 'system:authenticated'],
    });
  });

  it('gives a service account its implicit groups', () => {
    const user = impersonatedUser(access, support, {
      'impersonate-user': ['system:serviceaccount:shop:robot'],
    });
    expect(user.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:shop',
      'system:authenticated',
    ]);
  });

  it('is Forbidden without the impersonate verb on that user, group or account', () => {
    const user = caught(() => impersonatedUser(access, support, { 'impersonate-user': ['admin'] }));
    expect([user.code, user.message]).toEqual([
      403,
      'users "admin" is forbidden: User "support" cannot impersonate resource "users" in API group "" at the cluster scope',
    ]);
    const group = caught(() =>
      impersonatedUser(access, support, {
        'impersonate-user': ['viewer'],
        'impersonate-group': ['system:masters'],
      }),
    );
    expect(group.message).toContain('cannot impersonate resource "groups"');
    const account = caught(() =>
      impersonatedUser(access, support, { 'impersonate-user': ['system:serviceaccount:kube-system:x'] }),
    );
    expect(account.message).toContain('in the namespace "kube-system"');
    const viewer = access.authenticate('Bearer viewer-token');
    expect(caught(() => impersonatedUser(access, viewer, { 'impersonate-user': ['viewer'] })).code).toBe(403);
  });

  it('is a BadRequest to impersonate groups without a user, or two users', () => {
    expect(caught(() => impersonatedUser(access, admin, { 'impersonate-group': ['g'] })).code).toBe(400);
    expect(caught(() => impersonatedUser(access, admin, { 'impersonate-user': ['a', 'b'] })).message).toBe(
      'only one Impersonate-User header may be sent',
    );
  });
});
