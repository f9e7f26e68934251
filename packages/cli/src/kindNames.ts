import type { KindName } from '@kubesmart/core';
import { UsageError } from './command.js';

const NAMES: Readonly<Record<string, KindName>> = {
  pod: 'pods',
  pods: 'pods',
  po: 'pods',
  deployment: 'deployments',
  deployments: 'deployments',
  deploy: 'deployments',
  replicaset: 'replicasets',
  replicasets: 'replicasets',
  rs: 'replicasets',
  service: 'services',
  services: 'services',
  svc: 'services',
  endpointslice: 'endpointslices',
  endpointslices: 'endpointslices',
  configmap: 'configmaps',
  configmaps: 'configmaps',
  cm: 'configmaps',
  secret: 'secrets',
  secrets: 'secrets',
  event: 'events',
  events: 'events',
  ev: 'events',
  node: 'nodes',
  nodes: 'nodes',
  no: 'nodes',
  namespace: 'namespaces',
  namespaces: 'namespaces',
  ns: 'namespaces',
};

/** The kind a name kubectl users type means (`po`, `pod`, `pods`, `deploy`, ...). */
export function kindOf(name: string | undefined): KindName {
  const kind = name === undefined ? undefined : NAMES[name.toLowerCase()];
  if (!kind) {
    throw new UsageError(
      `unknown resource type "${name ?? ''}"; use one of: pods, deployments, replicasets, services, endpointslices, configmaps, secrets, events, nodes, namespaces`,
    );
  }
  return kind;
}

/** `pod/web-1` or `pod web-1` into a kind and a name. */
export function splitRef(
  first: string | undefined,
  second: string | undefined,
): { kind: KindName; name: string } {
  if (first?.includes('/')) {
    const [kind, name] = first.split('/', 2);
    if (!name) throw new UsageError(`"${first}" names no object; write KIND/NAME, like pod/web-1`);
    return { kind: kindOf(kind), name };
  }
  if (!second) throw new UsageError('name an object: KIND/NAME or KIND NAME, like pod/web-1');
  return { kind: kindOf(first), name: second };
}
