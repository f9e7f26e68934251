import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../kubeApiError.js';
import type { AccessControl, UserInfo } from './auth.js';

const USER = 'impersonate-user';
const GROUP = 'impersonate-group';
const UID = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';
const ANONYMOUS = 'system:anonymous';

/** Headers of one request, each name with all its values (`IncomingMessage.headersDistinct`). */
export type DistinctHeaders = Record<string, string[] | undefined>;

/**
 * The user a request acts as. Without `Impersonate-*` headers that is the authenticated user;
 * with them, as kube-apiserver's impersonation filter does, the requester needs the `impersonate`
 * verb on `users` (or `serviceaccounts` in the account's namespace), on `groups`, on
 * `userextras/<key>` and on `uids` for each value it asks for, or the request is 403 Forbidden.
 * Groups, extras or a uid without `Impersonate-User` are a 400 BadRequest.
 */
export function impersonatedUser(
  access: AccessControl,
  requester: UserInfo,
  headers: DistinctHeaders | IncomingHttpHeaders,
): UserInfo {
  const values = (name: string): string[] => {
    const value = headers[name];
    if (value === undefined) return [];
    return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
  };
  const [username, ...moreUsers] = values(USER);
  const groups = values(GROUP);
  const [uid] = values(UID);
  const extras = Object.keys(headers)
    .filter((name) => name.startsWith(EXTRA_PREFIX))
    .map((name) => ({ key: decodeURIComponent(name.slice(EXTRA_PREFIX.length)), values: values(name) }));
  if (username === undefined) {
    if (groups.length > 0 || uid !== undefined || extras.length > 0) {
      throw badRequest('requested impersonation of groups, extras or a uid without impersonating a user');
    }
    return requester;
  }
  if (moreUsers.length > 0) throw badRequest('only one Impersonate-User header may be sent');
  const check = (
    resource: string,
    name: string,
    extra: { apiGroup?: string; namespace?: string; subresource?: string } = {},
  ) =>
    access.assertAllowed(requester, {
      verb: 'impersonate',
      apiGroup: extra.apiGroup ?? '',
      resource,
      namespace: extra.namespace ?? '',
      name,
      ...(extra.subresource ? { subresource: extra.subresource } : {}),
    });
  const implicitGroups: string[] = [];
  if (username.startsWith(SERVICE_ACCOUNT_PREFIX)) {
    const [namespace = '', name = ''] = username.slice(SERVICE_ACCOUNT_PREFIX.length).split(':');
    check('serviceaccounts', name, { namespace });
    if (groups.length === 0)
      implicitGroups.push('system:serviceaccounts', `system:serviceaccounts:${namespace}`);
  } else {
    check('users', username);
  }
  for (const group of groups) check('groups', group);
  for (const { key, values: extraValues } of extras) {
    for (const value of extraValues)
      check('userextras', value, { apiGroup: 'authentication.k8s.io', subresource: key });
  }
  if (uid !== undefined) check('uids', uid, { apiGroup: 'authentication.k8s.io' });
  const all = [...groups, ...implicitGroups];
  all.push(username === ANONYMOUS ? 'system:unauthenticated' : 'system:authenticated');
  return { username, uid: uid ?? '', groups: [...new Set(all)] };
}
