import type { KubeObject } from '../../types.js';

export type FsNode = { readonly kind: 'dir' } | { readonly kind: 'file'; readonly content: string };

/** The programs the shell runs; `ls /bin` lists them. */
export const PROGRAMS = [
  'cat',
  'echo',
  'env',
  'false',
  'grep',
  'head',
  'hostname',
  'id',
  'ls',
  'printenv',
  'pwd',
  'sh',
  'sleep',
  'tail',
  'true',
  'wc',
  'whoami',
] as const;

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface PodIdentity {
  readonly pod: KubeObject;
  readonly namespace: string;
  readonly hostname: string;
  /** The cluster CA as the service account volume holds it. */
  readonly caCertPem: string | undefined;
}

/**
 * The read-only filesystem of a fake pod's container: the usual top-level directories, a few files
 * in /etc, and the service account volume with `namespace`, `token` and `ca.crt`.
 */
export class PodFilesystem {
  readonly #nodes = new Map<string, FsNode>();

  constructor(identity: PodIdentity) {
    const spec = (identity.pod.spec ?? {}) as {
      serviceAccountName?: string;
      automountServiceAccountToken?: boolean;
    };
    const ip = (identity.pod.status as { podIP?: string } | undefined)?.podIP ?? '127.0.0.1';
    for (const dir of [
      '/',
      '/bin',
      '/dev',
      '/etc',
      '/home',
      '/proc',
      '/root',
      '/sys',
      '/tmp',
      '/usr',
      '/usr/bin',
      '/var',
    ]) {
      this.#dir(dir);
    }
    for (const program of PROGRAMS) this.#file(`/bin/${program}`, '');
    this.#file('/dev/null', '');
    this.#file('/etc/hostname', `${identity.hostname}\n`);
    this.#file(
      '/etc/hosts',
      `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n${ip}\t${identity.hostname}\n`,
    );
    this.#file(
      '/etc/resolv.conf',
      `search ${identity.namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n`,
    );
    this.#file(
      '/etc/passwd',
      'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    );
    this.#file('/etc/group', 'root:x:0:\nnobody:x:65534:\n');
    if (spec.automountServiceAccountToken !== false) {
      const account = spec.serviceAccountName ?? 'default';
      for (const dir of ['/var/run', '/var/run/secrets', '/var/run/secrets/kubernetes.io', SA_DIR])
        this.#dir(dir);
      this.#file(`${SA_DIR}/namespace`, identity.namespace);
      this.#file(`${SA_DIR}/token`, `kubesmart-mock-token:${identity.namespace}:${account}`);
      this.#file(`${SA_DIR}/ca.crt`, identity.caCertPem ?? '');
    }
  }

  get(path: string): FsNode | undefined {
    return this.#nodes.get(path);
  }

  /** The names directly under a directory, sorted. */
  list(dir: string): string[] {
    const prefix = dir === '/' ? '/' : `${dir}/`;
    return [...this.#nodes.keys()]
      .filter((p) => p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/'))
      .map((p) => p.slice(prefix.length))
      .sort();
  }

  #dir(path: string): void {
    this.#nodes.set(path, { kind: 'dir' });
  }

  #file(path: string, content: string): void {
    this.#nodes.set(path, { kind: 'file', content });
  }
}

/** Resolves `path` against `cwd`, folding `.` and `..`. */
export function resolvePath(cwd: string, path: string): string {
  const parts: string[] = [];
  for (const part of (path.startsWith('/') ? path : `${cwd}/${path}`).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
