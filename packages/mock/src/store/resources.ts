import type { KubeObject } from '../types.js';

/** Reads one selectable field of an object (`status.phase`, `spec.nodeName`, ...). */
export type FieldReader = (obj: KubeObject) => string | undefined;

/** Everything the emulator knows about one resource type: routing, discovery and field selectors. */
export interface ResourceType {
  group: string;
  version: string;
  /** `v1` for the core group, `apps/v1` otherwise. */
  apiVersion: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: string[];
  verbs: string[];
  /** Subresources served under `<plural>/<name>/<sub>`. */
  subresources: string[];
  /** Field selectors this kind supports besides `metadata.name` and `metadata.namespace`. */
  fields: Record<string, FieldReader>;
  /** Kinds with no storage: create answers a computed object (TokenReview, SubjectAccessReview). */
  virtual?: boolean;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const path =
  (...keys: string[]): FieldReader =>
  (obj) => {
    let cur: unknown = obj;
    for (const k of keys) {
      if (cur === null || typeof cur !== 'object') return undefined;
      cur = (cur as Record<string, unknown>)[k];
    }
    if (cur === undefined || cur === null) return undefined;
    return String(cur);
  };

function define(
  groupVersion: string,
  kind: string,
  plural: string,
  opts: Partial<
    Pick<ResourceType, 'namespaced' | 'shortNames' | 'verbs' | 'subresources' | 'fields' | 'virtual'>
  > = {},
): ResourceType {
  const [group, version] = groupVersion.includes('/') ? groupVersion.split('/') : ['', groupVersion];
  return {
    group: group ?? '',
    version: version ?? 'v1',
    apiVersion: groupVersion,
    plural,
    singular: kind.toLowerCase(),
    kind,
    listKind: `${kind}List`,
    namespaced: opts.namespaced ?? true,
    shortNames: opts.shortNames ?? [],
    verbs: opts.verbs ?? CRUD,
    subresources: opts.subresources ?? [],
    fields: opts.fields ?? {},
    virtual: opts.virtual ?? false,
  };
}

/** The resource types the emulator serves. */
export const RESOURCE_TYPES: readonly ResourceType[] = Object.freeze([
  define('v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status'],
    fields: { 'status.phase': path('status', 'phase') },
  }),
  define('v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  define('v1', 'Secret', 'secrets', { fields: { type: path('type') } }),
  define('v1', 'Service', 'services', {
    shortNames: ['svc'],
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: ['status', 'proxy'],
    fields: { 'spec.clusterIP': path('spec', 'clusterIP'), 'spec.type': path('spec', 'type') },
  }),
  define('v1', 'Endpoints', 'endpoints', { shortNames: ['ep'] }),
  define('v1', 'Pod', 'pods', {
    shortNames: ['po'],
    subresources: ['status', 'log', 'exec', 'attach', 'portforward', 'proxy'],
    fields: {
      'status.phase': path('status', 'phase'),
      'spec.nodeName': path('spec', 'nodeName'),
      'spec.serviceAccountName': path('spec', 'serviceAccountName'),
      'spec.restartPolicy': path('spec', 'restartPolicy'),
      'spec.schedulerName': path('spec', 'schedulerName'),
      'status.podIP': path('status', 'podIP'),
      'status.nominatedNodeName': path('status', 'nominatedNodeName'),
    },
  }),
  define('v1', 'Event', 'events', {
    shortNames: ['ev'],
    fields: {
      'involvedObject.kind': path('involvedObject', 'kind'),
      'involvedObject.namespace': path('involvedObject', 'namespace'),
      'involvedObject.name': path('involvedObject', 'name'),
      'involvedObject.uid': path('involvedObject', 'uid'),
      'involvedObject.apiVersion': path('involvedObject', 'apiVersion'),
      'involvedObject.resourceVersion': path('involvedObject', 'resourceVersion'),
      'involvedObject.fieldPath': path('involvedObject', 'fieldPath'),
      reason: path('reason'),
      reportingComponent: path('reportingComponent'),
      source: path('source', 'component'),
      type: path('type'),
    },
  }),
  define('events.k8s.io/v1', 'Event', 'events', {
    shortNames: ['ev'],
    fields: {
      'regarding.kind': path('regarding', 'kind'),
      'regarding.namespace': path('regarding', 'namespace'),
      'regarding.name': path('regarding', 'name'),
      'regarding.uid': path('regarding', 'uid'),
      'regarding.apiVersion': path('regarding', 'apiVersion'),
      'regarding.fieldPath': path('regarding', 'fieldPath'),
      reason: path('reason'),
      reportingController: path('reportingController'),
      type: path('type'),
    },
  }),
  define('v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  define('v1', 'Node', 'nodes', {
    namespaced: false,
    shortNames: ['no'],
    subresources: ['status'],
    fields: { 'spec.unschedulable': path('spec', 'unschedulable') },
  }),
  define('discovery.k8s.io/v1', 'EndpointSlice', 'endpointslices', {
    fields: { addressType: path('addressType') },
  }),
  define('apps/v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    subresources: ['scale', 'status'],
  }),
  define('apps/v1', 'ReplicaSet', 'replicasets', { shortNames: ['rs'], subresources: ['scale', 'status'] }),
  define('apps/v1', 'StatefulSet', 'statefulsets', {
    shortNames: ['sts'],
    subresources: ['scale', 'status'],
  }),
  define('batch/v1', 'Job', 'jobs', {
    subresources: ['status'],
    fields: { 'status.successful': path('status', 'succeeded') },
  }),
  define('v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', {
    shortNames: ['pvc'],
    subresources: ['status'],
  }),
  define('v1', 'PersistentVolume', 'persistentvolumes', {
    namespaced: false,
    shortNames: ['pv'],
    subresources: ['status'],
  }),
  define('coordination.k8s.io/v1', 'Lease', 'leases'),
  define('networking.k8s.io/v1', 'Ingress', 'ingresses', { shortNames: ['ing'], subresources: ['status'] }),
  define('rbac.authorization.k8s.io/v1', 'Role', 'roles'),
  define('rbac.authorization.k8s.io/v1', 'RoleBinding', 'rolebindings'),
  define('rbac.authorization.k8s.io/v1', 'ClusterRole', 'clusterroles', { namespaced: false }),
  define('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', 'clusterrolebindings', { namespaced: false }),
  define('authentication.k8s.io/v1', 'TokenReview', 'tokenreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  define('authentication.k8s.io/v1', 'SelfSubjectReview', 'selfsubjectreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  define('authorization.k8s.io/v1', 'SelfSubjectAccessReview', 'selfsubjectaccessreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
  define('authorization.k8s.io/v1', 'SubjectAccessReview', 'subjectaccessreviews', {
    namespaced: false,
    verbs: ['create'],
    virtual: true,
  }),
]);

const byPath = new Map<string, ResourceType>();
const byKind = new Map<string, ResourceType>();
for (const rt of RESOURCE_TYPES) {
  byPath.set(`${rt.apiVersion}/${rt.plural}`, rt);
  byKind.set(`${rt.apiVersion}/${rt.kind}`, rt);
}

/** The resource type served at `/api/v1/<plural>` or `/apis/<group>/<version>/<plural>`. */
export function resourceByPath(apiVersion: string, plural: string): ResourceType | undefined {
  return byPath.get(`${apiVersion}/${plural}`);
}

/** The resource type of an object by its `apiVersion` and `kind`. */
export function resourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

/** Every group/version the emulator serves, core `v1` first. */
export function groupVersions(): string[] {
  return [...new Set(RESOURCE_TYPES.map((rt) => rt.apiVersion))];
}

/** Reads a selectable field, including the ones every kind has. */
export function readField(rt: ResourceType, obj: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return obj.metadata.name;
  if (field === 'metadata.namespace') return rt.namespaced ? (obj.metadata.namespace ?? '') : '';
  return Object.hasOwn(rt.fields, field) ? rt.fields[field]?.(obj) : undefined;
}

export function supportsField(rt: ResourceType, field: string): boolean {
  return field === 'metadata.name' || field === 'metadata.namespace' || Object.hasOwn(rt.fields, field);
}

/**
 * Finds a resource type by any name kubectl accepts: plural, singular, kind or short name, any case,
 * optionally qualified by its group (`deployments.apps`).
 */
export function resolveResourceType(name: string): ResourceType | undefined {
  const [first = '', ...groupParts] = name.toLowerCase().split('.');
  const group = groupParts.join('.');
  return RESOURCE_TYPES.find(
    (rt) =>
      (group === '' || rt.group === group) &&
      (rt.plural === first ||
        rt.singular === first ||
        rt.kind.toLowerCase() === first ||
        rt.shortNames.includes(first)),
  );
}
