import { groupVersions, RESOURCE_TYPES, type ResourceType } from '../store/resources.js';

/** The version kube-apiserver reports; kubectl's dispatcher picks its own minor version from it. */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
}

export function versionInfo(version: ServerVersion): Record<string, string> {
  return {
    ...version,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
  };
}

export function apiGroupList(): object {
  const groups = groupVersions()
    .filter((gv) => gv.includes('/'))
    .map((gv) => {
      const [name, version] = gv.split('/') as [string, string];
      const entry = { groupVersion: gv, version };
      return { name, versions: [entry], preferredVersion: entry };
    });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** Verbs and kinds of the pod subresources, as kube-apiserver's discovery lists them. */
const SUBRESOURCE_VERBS: Readonly<Record<string, string[]>> = {
  log: ['get'],
  exec: ['create', 'get'],
  attach: ['create', 'get'],
  portforward: ['create', 'get'],
  proxy: ['create', 'delete', 'get', 'patch', 'update'],
};
const SUBRESOURCE_KINDS: Readonly<Record<string, string>> = {
  scale: 'Scale',
  log: 'Pod',
  exec: 'PodExecOptions',
  attach: 'PodAttachOptions',
  portforward: 'PodPortForwardOptions',
  proxy: 'PodProxyOptions',
};

function subresourceEntries(rt: ResourceType): object[] {
  return rt.subresources.map((sub) => {
    const verbs = SUBRESOURCE_VERBS[sub] ?? ['get', 'patch', 'update'];
    const kind = SUBRESOURCE_KINDS[sub] ?? rt.kind;
    return {
      name: `${rt.plural}/${sub}`,
      singularName: '',
      namespaced: rt.namespaced,
      kind,
      verbs,
      ...(sub === 'scale' ? { group: 'autoscaling', version: 'v1' } : {}),
    };
  });
}

/** `APIResourceList` for one group/version, or undefined when the emulator does not serve it. */
export function apiResourceList(groupVersion: string): object | undefined {
  const types = RESOURCE_TYPES.filter((rt) => rt.apiVersion === groupVersion);
  if (types.length === 0) return undefined;
  const resources = types.flatMap((rt) => [
    {
      name: rt.plural,
      singularName: rt.singular,
      namespaced: rt.namespaced,
      kind: rt.kind,
      verbs: rt.verbs,
      ...(rt.shortNames.length > 0 ? { shortNames: rt.shortNames } : {}),
      ...(rt.apiVersion === 'apps/v1' ? { categories: ['all'] } : {}),
      ...(['pods', 'services'].includes(rt.plural) ? { categories: ['all'] } : {}),
    },
    ...subresourceEntries(rt),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion, resources };
}
