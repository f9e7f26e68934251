import { randomInt } from 'node:crypto';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';

/**
 * Defaulting that kube-apiserver's registry and admission chain apply on create: the fields clients
 * read back (a Service's clusterIP, a Secret's base64 data, a Namespace's phase) are always present.
 * Works on a mutable copy.
 */
export function applyDefaults(rt: ResourceType, obj: KubeObject): void {
  switch (rt.kind) {
    case 'Namespace':
      obj.spec = { finalizers: ['kubernetes'], ...(obj.spec as object) };
      obj.status = { phase: 'Active', ...(obj.status as object) };
      return;
    case 'Secret':
      foldStringData(obj);
      obj.type ??= 'Opaque';
      return;
    case 'Service':
      defaultService(obj);
      return;
    case 'Pod':
      defaultPod(obj);
      return;
    case 'Deployment':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
      defaultWorkload(rt, obj);
      return;
    case 'PersistentVolumeClaim':
      obj.spec = { storageClassName: 'standard', volumeMode: 'Filesystem', ...record(obj.spec) };
      obj.status ??= { phase: 'Pending' };
      return;
    default:
      return;
  }
}

/** `stringData` is write-only: it folds into base64 `data`, overriding keys of the same name. */
export function foldStringData(obj: KubeObject): void {
  const stringData = obj.stringData as Record<string, string> | undefined;
  if (!stringData) return;
  const data = { ...((obj.data as Record<string, string> | undefined) ?? {}) };
  for (const [key, value] of Object.entries(stringData))
    data[key] = Buffer.from(String(value)).toString('base64');
  obj.data = data;
  delete obj.stringData;
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function defaultService(obj: KubeObject): void {
  const spec = { ...record(obj.spec) };
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (spec.type !== 'ExternalName' && spec.clusterIP === undefined) {
    spec.clusterIP = `10.96.${randomInt(0, 255)}.${randomInt(1, 254)}`;
  }
  if (spec.clusterIP !== undefined && spec.clusterIPs === undefined) spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  const ports = Array.isArray(spec.ports) ? spec.ports : [];
  spec.ports = ports.map((p) => {
    const port = { ...record(p) };
    port.protocol ??= 'TCP';
    port.targetPort ??= port.port;
    return port;
  });
  obj.spec = spec;
  obj.status ??= { loadBalancer: {} };
}

function defaultContainers(value: unknown): unknown[] {
  return (Array.isArray(value) ? value : []).map((c) => {
    const container = { ...record(c) };
    container.imagePullPolicy ??= 'IfNotPresent';
    if (Array.isArray(container.ports)) {
      container.ports = container.ports.map((p) => ({ protocol: 'TCP', ...record(p) }));
    }
    return container;
  });
}

function defaultPodSpec(value: unknown): Record<string, unknown> {
  const spec = { ...record(value) };
  spec.containers = defaultContainers(spec.containers);
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.serviceAccountName ??= 'default';
  spec.terminationGracePeriodSeconds ??= 30;
  return spec;
}

function defaultPod(obj: KubeObject): void {
  obj.spec = defaultPodSpec(obj.spec);
  obj.status ??= { phase: 'Pending', conditions: [] };
}

function defaultWorkload(rt: ResourceType, obj: KubeObject): void {
  const spec = { ...record(obj.spec) };
  if (rt.kind === 'Job') {
    spec.parallelism ??= 1;
    spec.completions ??= 1;
    spec.backoffLimit ??= 6;
    spec.completionMode ??= 'NonIndexed';
    spec.suspend ??= false;
  } else spec.replicas ??= 1;
  if (rt.kind === 'StatefulSet') {
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.revisionHistoryLimit ??= 10;
    spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
  }
  if (rt.kind === 'Deployment') {
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    spec.revisionHistoryLimit ??= 10;
    spec.progressDeadlineSeconds ??= 600;
  }
  const template = { ...record(spec.template) };
  template.spec = defaultPodSpec(template.spec);
  spec.template = template;
  obj.spec = spec;
  obj.status ??= {};
}
