import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { badRequest } from './kubeApiError.js';

/** What a kubeconfig for the emulator points at and how it authenticates. */
export interface KubeconfigParams {
  /** The API server URL, `https://127.0.0.1:PORT` or `http://127.0.0.1:PORT`. */
  server: string;
  /** The CA that signed the server certificate; embedded as `certificate-authority-data`. Ignored for `http://`. */
  caCertPem?: string;
  /** Bearer token of the user. No token: the user entry is empty (anonymous requests). */
  token?: string;
  /**
   * Skip server certificate verification. Always on for `http://` servers, which client-node 1.4
   * refuses otherwise; a CA is then left out, as kubectl rejects a CA combined with this flag.
   * @default false
   */
  insecureSkipTlsVerify?: boolean;
  /**
   * Name of the context, and of the cluster entry.
   * @default 'kubesmart-mock'
   */
  contextName?: string;
  /** Default namespace of the context. */
  namespace?: string;
  /**
   * Name of the user entry.
   * @default the context name
   */
  user?: string;
}

const DEFAULT_CONTEXT_NAME = 'kubesmart-mock';
const OWNER_READ_WRITE = 0o600;

/** A standard kubeconfig (one cluster, one user, one context, selected as current) as YAML. */
export function kubeconfigYaml(params: KubeconfigParams): string {
  const contextName = params.contextName ?? DEFAULT_CONTEXT_NAME;
  const userName = params.user ?? contextName;
  const context: Record<string, string> = { cluster: contextName, user: userName };
  if (params.namespace) context.namespace = params.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: contextName, cluster: clusterEntry(params) }],
    users: [{ name: userName, user: params.token ? { token: params.token } : {} }],
    contexts: [{ name: contextName, context }],
    'current-context': contextName,
    preferences: {},
  });
}

/** A client-node `KubeConfig` loaded from {@link kubeconfigYaml}. */
export function kubeConfigFrom(params: KubeconfigParams): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(kubeconfigYaml(params));
  return kubeConfig;
}

/**
 * Writes {@link kubeconfigYaml} to `path` with mode 0600, creating parent directories. The file is
 * replaced atomically, so a concurrently starting kubectl never reads half of it.
 */
export async function writeKubeconfig(path: string, params: KubeconfigParams): Promise<void> {
  const text = kubeconfigYaml(params);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: OWNER_READ_WRITE });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function clusterEntry(params: KubeconfigParams): Record<string, unknown> {
  const protocol = serverProtocol(params.server);
  if (protocol === 'http:' || params.insecureSkipTlsVerify) {
    return { server: params.server, 'insecure-skip-tls-verify': true };
  }
  if (!params.caCertPem) return { server: params.server };
  return {
    server: params.server,
    'certificate-authority-data': Buffer.from(params.caCertPem).toString('base64'),
  };
}

function serverProtocol(server: string): 'http:' | 'https:' {
  const protocol = URL.canParse(server) ? new URL(server).protocol : undefined;
  if (protocol === 'http:' || protocol === 'https:') return protocol;
  throw badRequest(`kubeconfig server "${server}" is not an http:// or https:// URL`);
}
