import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeAPIUnavailableError } from '../errors.js';

export interface LoadKubeConfigOptions {
  /**
   * Environment to read `KUBERNETES_SERVICE_HOST`, `KUBERNETES_SERVICE_PORT`, `KUBECONFIG` and
   * `HOME` from.
   * @default process.env
   */
  env?: NodeJS.ProcessEnv;
  /** A kubeconfig file to load; when given, nothing else is tried. */
  path?: string;
  /**
   * Directory holding the service account's `token`, `ca.crt` and `namespace`.
   * @default '/var/run/secrets/kubernetes.io/serviceaccount'
   */
  serviceAccountDir?: string;
  /** Context to select instead of the file's `current-context`. */
  context?: string;
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const WHAT_TO_DO =
  'Run inside a pod with a service account, set KUBECONFIG to a kubeconfig file, create ~/.kube/config, or pass a KubeConfig explicitly.';

/** Builds the in-cluster configuration from the service account files and the env, or says why not. */
function inCluster(env: NodeJS.ProcessEnv, dir: string): KubeConfig | string {
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return 'in-cluster: KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set';
  const tokenFile = join(dir, 'token');
  const caFile = join(dir, 'ca.crt');
  if (!existsSync(tokenFile)) return `in-cluster: no service account token at ${tokenFile}`;
  if (!existsSync(caFile)) return `in-cluster: no CA certificate at ${caFile}`;
  const namespaceFile = join(dir, 'namespace');
  const namespace = existsSync(namespaceFile) ? readFileSync(namespaceFile, 'utf8').trim() : undefined;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [
      {
        name: 'inCluster',
        server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
        caFile,
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'inClusterUser', authProvider: { name: 'tokenFile', config: { tokenFile } } }],
    contexts: [{ name: 'inClusterContext', cluster: 'inCluster', user: 'inClusterUser', namespace }],
    currentContext: 'inClusterContext',
  });
  return kubeConfig;
}

/** Loads and merges kubeconfig files as kubectl does (missing files are skipped), or says why not. */
function fromFiles(label: string, files: string[], context: string | undefined): KubeConfig | string {
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) return `${label}: no file at ${files.join(', ')}`;
  try {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromFile(present[0]!);
    for (const file of present.slice(1)) {
      const other = new KubeConfig();
      other.loadFromFile(file);
      kubeConfig.mergeConfig(other, true);
    }
    if (context) kubeConfig.setCurrentContext(context);
    const current = kubeConfig.getCurrentContext();
    if (!current || !kubeConfig.getContextObject(current)) {
      return `${label}: ${present.join(', ')} has no usable context${context ? ` named "${context}"` : ' (current-context is not set)'}`;
    }
    if (!kubeConfig.getCurrentCluster()?.server) {
      return `${label}: the cluster of context "${current}" in ${present.join(', ')} has no server`;
    }
    return kubeConfig;
  } catch (error) {
    return `${label}: ${present.join(', ')} could not be read (${(error as Error).message})`;
  }
}

/**
 * Loads the Kubernetes client configuration: in-cluster (service account token and CA, plus
 * `KUBERNETES_SERVICE_HOST`/`PORT`), then the files in `KUBECONFIG` (a list separated like `PATH`),
 * then `~/.kube/config`. One of the few places core reads the environment and files. Throws
 * {@link KubeAPIUnavailableError} saying what was tried when none works.
 */
export function loadKubeConfig(options: LoadKubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const tried: string[] = [];
  if (options.path !== undefined) {
    const result = fromFiles('path', [options.path], options.context);
    if (typeof result !== 'string') return result;
    throw new KubeAPIUnavailableError(
      `Could not load the Kubernetes configuration: ${result}. Pass a readable kubeconfig file.`,
      {
        details: { tried: [result] },
      },
    );
  }
  const attempts: (() => KubeConfig | string)[] = [
    () => inCluster(env, options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR),
    () =>
      env.KUBECONFIG
        ? fromFiles('KUBECONFIG', env.KUBECONFIG.split(delimiter).filter(Boolean), options.context)
        : 'KUBECONFIG: not set',
    () =>
      fromFiles(
        '~/.kube/config',
        [join(env.HOME ?? env.USERPROFILE ?? homedir(), '.kube', 'config')],
        options.context,
      ),
  ];
  for (const attempt of attempts) {
    const result = attempt();
    if (typeof result !== 'string') return result;
    tried.push(result);
  }
  throw new KubeAPIUnavailableError(
    `Could not load a Kubernetes configuration. Tried ${tried.join('; ')}. ${WHAT_TO_DO}`,
    { details: { tried } },
  );
}
