import { createHash, timingSafeEqual } from 'node:crypto';
import { parseFieldSelector } from '@kubesmart/selectors';
import { badRequest, invalid, KubeApiError } from '../kubeApiError.js';

/**
 * One row of the RBAC table: it allows every combination of its verbs, API groups and resources,
 * optionally limited to some namespaces and object names. `'*'` is a wildcard in every list.
 */
export interface PolicyRule {
  /** `''` is the core group (`v1`). */
  apiGroups: string[];
  /**
   * Plural resource names; `pods/log` names a subresource, `*\/scale` that subresource of every
   * resource. `pods` alone does not cover `pods/log`; `'*'` covers every resource and subresource.
   */
  resources: string[];
  /** Kubernetes verbs: get, list, watch, create, update, patch, delete, deletecollection. */
  verbs: string[];
  /**
   * Namespaces the rule applies in. Absent: everywhere, cluster-scoped and all-namespace requests
   * included. Present (even `['*']`): only requests inside one of those namespaces.
   */
  namespaces?: string[];
  /**
   * Object names the rule applies to. Absent or empty: any. Requests without a name (create, a list
   * without `fieldSelector=metadata.name=X`) never match a named rule.
   */
  resourceNames?: string[];
}

/** A user known by a bearer token, with the rules that say what it may do. */
export interface UserSpec {
  name: string;
  token: string;
  groups?: string[];
  rules: PolicyRule[];
}

/** Everything, everywhere. */
export const ADMIN_RULES: PolicyRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

export interface AuthOptions {
  /** Users and their tokens. @default [] */
  users?: UserSpec[];
  /**
   * What a request without a bearer token is: `'admin'` acts as `system:anonymous` with every
   * permission (a local-development convenience), `'deny'` answers 401. A token that is present but
   * unknown is always 401.
   * @default 'admin'
   */
  anonymous?: 'admin' | 'deny';
}

/** Who a request is, as a TokenReview reports it. */
export interface UserInfo {
  username: string;
  uid: string;
  groups: string[];
}

/** What a resource request does, in the terms of RBAC. */
export interface RequestAttributes {
  verb: string;
  apiGroup: string;
  /** Plural resource name, without the subresource. */
  resource: string;
  subresource?: string;
  /** `''` for cluster-scoped and all-namespace requests. */
  namespace: string;
  name?: string;
}

export interface AuthorizationDecision {
  allowed: boolean;
  reason: string;
}

export interface TokenReviewResult {
  authenticated: boolean;
  user?: UserInfo;
  error?: string;
}

/** `spec.resourceAttributes` of a SubjectAccessReview. */
export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

/** `spec.nonResourceAttributes` of a SubjectAccessReview. */
export interface NonResourceAttributes {
  path: string;
  verb: string;
}

export interface SubjectAccessReviewSpec {
  user?: string;
  groups?: string[];
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

export interface SubjectAccessReviewResult {
  allowed: boolean;
  reason?: string;
  /** Set when not allowed: this table is the only authorizer, so its "no" is final. */
  denied?: boolean;
}

const ANONYMOUS_USERNAME = 'system:anonymous';
const AUTHENTICATED_GROUP = 'system:authenticated';
const UNAUTHENTICATED_GROUP = 'system:unauthenticated';
/** As in Kubernetes, members of this group may do anything. */
const MASTERS_GROUP = 'system:masters';
const WILDCARD = '*';
const BEARER = /^bearer\s+(\S*)\s*$/i;
const TOKEN_CHARACTERS = /^[\x21-\x7e]+$/;
const READ_VERBS = new Set(['get', 'head']);

/**
 * What every authenticated user may do, like the built-in `system:basic-user` ClusterRole: ask
 * whether it may do something (SelfSubjectAccessReview) and who it is (SelfSubjectReview).
 */
const BASIC_USER_RULES: PolicyRule[] = [
  {
    apiGroups: ['authorization.k8s.io'],
    resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'],
    verbs: ['create'],
  },
  { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
];
/** Discovery, version, OpenAPI and health endpoints: readable by every authenticated user. */
const PUBLIC_PATHS: readonly RegExp[] = [
  /^\/version$/,
  /^\/(healthz|livez|readyz)(\/[^/]+)*$/,
  /^\/openapi(\/[^/]+)*$/,
  /^\/api(\/[^/]+)?$/,
  /^\/apis(\/[^/]+){0,2}$/,
];
const DOT_SEGMENT_OR_ESCAPE = /(^|\/)\.\.?(\/|$)|%/;

/**
 * Whether a non-resource path (`/version`, `/api`, `/apis/apps/v1`, `/openapi/v3/...`, `/healthz`,
 * `/readyz`, `/livez`, ...) is readable by every authenticated user. The query string is ignored;
 * paths with dot segments or percent escapes never are public.
 */
export function isPublicPath(path: string): boolean {
  const pathname = path.split(/[?#]/, 1)[0] ?? '';
  const trimmed = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  if (DOT_SEGMENT_OR_ESCAPE.test(trimmed)) return false;
  return PUBLIC_PATHS.some((pattern) => pattern.test(trimmed));
}

/** Parses the bin's `--token NAME=TOKEN` flag into an admin user. Throws 400 BadRequest on bad input. */
export function parseTokenFlag(text: string): UserSpec {
  const separator = text.indexOf('=');
  if (separator < 0) throw badTokenFlag('there is no "="');
  const name = text.slice(0, separator).trim();
  const token = text.slice(separator + 1).trim();
  if (!name) throw badTokenFlag('the name is empty');
  if (!token) throw badTokenFlag('the token is empty');
  const user = { name, token, rules: structuredClone(ADMIN_RULES) };
  validateUserSpec(user);
  return user;
}

/** Says what is wrong without echoing the flag, which holds a secret. */
function badTokenFlag(problem: string): KubeApiError {
  return badRequest(`--token expects NAME=TOKEN (for example --token alice=s3cret), but ${problem}`);
}

/** Bearer-token authentication and RBAC-style authorization for the emulated API server. */
export class AccessControl {
  readonly #anonymous: 'admin' | 'deny';
  readonly #users = new Map<string, { spec: UserSpec; tokenDigest: Buffer }>();

  constructor(options: AuthOptions = {}) {
    this.#anonymous = options.anonymous ?? 'admin';
    for (const user of options.users ?? []) this.addUser(user);
  }

  /**
   * Who sent a request, from its `Authorization` header. As in kube-apiserver, a header that is not a
   * non-empty `Bearer` token carries no credentials, so it is anonymous. Throws 401 Unauthorized for an
   * unknown token, and for a request without credentials when anonymous is `'deny'`.
   */
  authenticate(authorizationHeader: string | undefined): UserInfo {
    const token = bearerToken(authorizationHeader);
    if (token === undefined) {
      if (this.#anonymous === 'admin') return anonymousUser();
      throw unauthorized();
    }
    const spec = this.#findByToken(token);
    if (!spec) throw unauthorized();
    return userInfo(spec);
  }

  /** Decides a resource request by the user's rules; anonymous-as-admin and system:masters may do anything. */
  authorize(user: UserInfo, attrs: RequestAttributes): AuthorizationDecision {
    const superuser = this.#superuserReason(user);
    if (superuser) return { allowed: true, reason: superuser };
    if (user.username !== ANONYMOUS_USERNAME && BASIC_USER_RULES.some((rule) => ruleAllows(rule, attrs))) {
      return { allowed: true, reason: 'allowed to every authenticated user (system:basic-user)' };
    }
    const rules = this.#users.get(user.username)?.spec.rules ?? [];
    const index = rules.findIndex((rule) => ruleAllows(rule, attrs));
    const who = `user ${quote(user.username)}`;
    return index >= 0
      ? { allowed: true, reason: `allowed by rule ${index} of ${who}` }
      : { allowed: false, reason: `no rule of ${who} allows ${describeRequest(attrs)}` };
  }

  /** Throws 403 Forbidden, worded as kube-apiserver words it, unless `user` may do `attrs`. */
  assertAllowed(user: UserInfo, attrs: RequestAttributes): void {
    if (!this.authorize(user, attrs).allowed) throw forbidden(user, attrs);
  }

  /** Decides a non-resource request: public paths are readable by every authenticated user. */
  authorizePath(user: UserInfo, path: string, verb: string): AuthorizationDecision {
    const superuser = this.#superuserReason(user);
    if (superuser) return { allowed: true, reason: superuser };
    if (user.username !== ANONYMOUS_USERNAME && isPublicPath(path) && READ_VERBS.has(verb)) {
      return { allowed: true, reason: `${path} is readable by every authenticated user` };
    }
    return { allowed: false, reason: `only administrators may ${verb} ${path}` };
  }

  /** Adds a user, or replaces the user of that name. Throws 400 on a malformed spec or a token another user has. */
  addUser(spec: UserSpec): void {
    validateUserSpec(spec);
    const owner = this.#findByToken(spec.token);
    if (owner && owner.name !== spec.name) {
      throw badRequest(
        `user ${quote(spec.name)} cannot use the token of user ${quote(owner.name)}; tokens must be unique`,
      );
    }
    this.#users.set(spec.name, { spec: structuredClone(spec), tokenDigest: digest(spec.token) });
  }

  /** Removes a user; its token stops working at once. Unknown names are ignored. */
  removeUser(name: string): void {
    this.#users.delete(name);
  }

  /** Copies of the configured users, tokens included. */
  users(): UserSpec[] {
    return [...this.#users.values()].map(({ spec }) => structuredClone(spec));
  }

  /** What a TokenReview reports for `token`. */
  tokenReview(token: string): TokenReviewResult {
    if (!token) return { authenticated: false, error: 'token is empty' };
    const spec = this.#findByToken(token);
    if (!spec) return { authenticated: false, error: 'invalid bearer token' };
    return { authenticated: true, user: userInfo(spec) };
  }

  /**
   * What a SubjectAccessReview reports. For a SelfSubjectAccessReview pass the caller's `username`
   * and `groups`. Throws 422 Invalid when the spec names no subject or not exactly one kind of attributes.
   */
  subjectAccessReview(spec: SubjectAccessReviewSpec): SubjectAccessReviewResult {
    const user = this.#reviewSubject(spec);
    const decision = this.#decideReview(user, spec);
    return decision.allowed ? decision : { allowed: false, denied: true, reason: decision.reason };
  }

  #decideReview(user: UserInfo, spec: SubjectAccessReviewSpec): AuthorizationDecision {
    const { resourceAttributes, nonResourceAttributes } = spec;
    if (resourceAttributes && !nonResourceAttributes) {
      return this.authorize(user, requestAttributesOf(resourceAttributes));
    }
    if (nonResourceAttributes && !resourceAttributes) {
      return this.authorizePath(user, nonResourceAttributes.path, nonResourceAttributes.verb);
    }
    throw invalidReview(
      'spec.resourceAttributes',
      'exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }

  #reviewSubject(spec: SubjectAccessReviewSpec): UserInfo {
    const username = spec.user ?? '';
    const groups = spec.groups ?? [];
    if (!username && groups.length === 0) {
      throw invalidReview('spec.user', 'at least one of user or group must be specified');
    }
    const known = this.#users.get(username);
    return { username, uid: known ? uidOf(username) : '', groups };
  }

  #superuserReason(user: UserInfo): string | undefined {
    if (user.username === ANONYMOUS_USERNAME && this.#anonymous === 'admin') {
      return 'anonymous requests act as administrator (anonymous: "admin")';
    }
    if (user.groups.includes(MASTERS_GROUP)) return `member of ${MASTERS_GROUP}`;
    return undefined;
  }

  /** Compares the token with every user's in constant time, so timing reveals neither token nor position. */
  #findByToken(token: string): UserSpec | undefined {
    const candidate = digest(token);
    let found: UserSpec | undefined;
    for (const { spec, tokenDigest } of this.#users.values()) {
      if (timingSafeEqual(candidate, tokenDigest)) found = spec;
    }
    return found;
  }
}

/** The bearer token of an `Authorization` header; undefined when the request carries none. */
function bearerToken(header: string | undefined): string | undefined {
  const token = header ? BEARER.exec(header.trim())?.[1] : undefined;
  return token || undefined;
}

function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  return (
    listAllows(rule.verbs, attrs.verb) &&
    listAllows(rule.apiGroups, attrs.apiGroup) &&
    resourceAllowed(rule.resources, attrs) &&
    namespaceAllowed(rule.namespaces, attrs.namespace) &&
    nameAllowed(rule.resourceNames, attrs.name)
  );
}

function listAllows(allowed: string[], value: string): boolean {
  return allowed.includes(WILDCARD) || allowed.includes(value);
}

function resourceAllowed(resources: string[], { resource, subresource }: RequestAttributes): boolean {
  const requested = subresource ? `${resource}/${subresource}` : resource;
  return resources.some(
    (allowed) =>
      allowed === WILDCARD || allowed === requested || (!!subresource && allowed === `*/${subresource}`),
  );
}

function namespaceAllowed(namespaces: string[] | undefined, namespace: string): boolean {
  return namespaces === undefined || (namespace !== '' && listAllows(namespaces, namespace));
}

function nameAllowed(resourceNames: string[] | undefined, name: string | undefined): boolean {
  if (!resourceNames?.length || resourceNames.includes(WILDCARD)) return true;
  return name !== undefined && resourceNames.includes(name);
}

function requestAttributesOf(attributes: ResourceAttributes): RequestAttributes {
  const attrs: RequestAttributes = {
    verb: attributes.verb ?? '',
    apiGroup: attributes.group ?? '',
    resource: attributes.resource ?? '',
    namespace: attributes.namespace ?? '',
  };
  if (attributes.subresource) attrs.subresource = attributes.subresource;
  if (attributes.name) attrs.name = attributes.name;
  return attrs;
}

function validateUserSpec(spec: UserSpec): void {
  if (!spec.name?.trim()) throw badRequest('a user needs a non-empty name');
  if (spec.name === ANONYMOUS_USERNAME)
    throw badRequest(`${ANONYMOUS_USERNAME} is reserved for requests without a token`);
  if (!TOKEN_CHARACTERS.test(spec.token ?? '')) {
    throw badRequest(
      `the token of user ${quote(spec.name)} must be non-empty printable ASCII without spaces`,
    );
  }
  if (!Array.isArray(spec.rules)) throw badRequest(`user ${quote(spec.name)} needs a list of rules`);
}

function userInfo(spec: UserSpec): UserInfo {
  const groups = [...new Set([...(spec.groups ?? []), AUTHENTICATED_GROUP])];
  return { username: spec.name, uid: uidOf(spec.name), groups };
}

function anonymousUser(): UserInfo {
  return { username: ANONYMOUS_USERNAME, uid: '', groups: [UNAUTHENTICATED_GROUP] };
}

/** A stable UUID-shaped id per user name, so a user keeps its uid across restarts. */
function uidOf(name: string): string {
  const hex = createHash('sha256').update(`kubesmart-mock/user/${name}`).digest('hex');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20, 32)].join(
    '-',
  );
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

function unauthorized(): KubeApiError {
  return new KubeApiError('Unauthorized', 'Unauthorized');
}

/** `configmaps "x" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "default"`. */
function forbidden(user: UserInfo, attrs: RequestAttributes): KubeApiError {
  const qualifiedResource = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  const target = attrs.name ? `${qualifiedResource} ${quote(attrs.name)}` : qualifiedResource;
  const message = `${target} is forbidden: User ${quote(user.username)} cannot ${describeRequest(attrs)}`;
  const details = {
    group: attrs.apiGroup,
    kind: attrs.resource,
    ...(attrs.name ? { name: attrs.name } : {}),
  };
  return new KubeApiError('Forbidden', message, details);
}

/** `get resource "pods/log" in API group "" in the namespace "default"`, or `... at the cluster scope`. */
function describeRequest(attrs: RequestAttributes): string {
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace ${quote(attrs.namespace)}` : 'at the cluster scope';
  return `${attrs.verb} resource ${quote(resource)} in API group ${quote(attrs.apiGroup)} ${scope}`;
}

function invalidReview(field: string, message: string): KubeApiError {
  return invalid(
    'SubjectAccessReview',
    '',
    [{ field, message, reason: 'FieldValueRequired' }],
    'authorization.k8s.io',
  );
}

/** Double-quotes like Go's `%q` does for the names that occur here. */
function quote(text: string): string {
  return JSON.stringify(text);
}

/**
 * The object name a request is authorized for. As in kube-apiserver, a list or watch whose field
 * selector requires `metadata.name=X` is a request for X, so a rule with `resourceNames: [X]` allows it.
 */
export function nameForAuthorization(
  verb: string,
  name: string | undefined,
  query: URLSearchParams,
): string | undefined {
  if (name !== undefined || (verb !== 'list' && verb !== 'watch')) return name;
  try {
    const terms = parseFieldSelector(query.get('fieldSelector') ?? '');
    return terms.find((t) => t.field === 'metadata.name' && t.op === '=')?.value;
  } catch {
    return undefined;
  }
}
