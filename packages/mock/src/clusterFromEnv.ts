import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { createMockCluster, type MockClusterOptions } from './cluster.js';
import type { KubeObject } from './types.js';

export interface ClusterFromEnvOptions {
  /** Start the emulator even when a cluster is configured (tests, demos). @default false */
  embedded?: boolean;
  /** Objects (or YAML) the emulator starts with; the configured cluster is never touched. @default none */
  objects?: KubeObject | KubeObject[] | string;
  /** Options of the emulator, when one is started. @default {} */
  emulator?: MockClusterOptions;
  /** The environment to look in. @default process.env */
  env?: NodeJS.ProcessEnv;
  /** The home directory holding `.kube/config`. @default os.homedir() */
  home?: string;
}

/** Where an app's cluster is: the configured one (`kubeConfig` undefined), or an emulator's. */
export interface ClusterChoice {
  /** The emulator's kubeconfig; undefined when a cluster is configured, so the app loads its own. */
  readonly kubeConfig: KubeConfig | undefined;
  /** Whether an emulator was started. */
  readonly emulated: boolean;
  /** Stops the emulator, if one was started. */
  close(): Promise<void>;
}

/** Whether a cluster is configured: in a pod, through `KUBECONFIG`, or in `~/.kube/config`. */
export function clusterConfigured(env: NodeJS.ProcessEnv = process.env, home = homedir()): boolean {
  return Boolean(env.KUBERNETES_SERVICE_HOST || env.KUBECONFIG || existsSync(join(home, '.kube', 'config')));
}

/**
 * The cluster in the environment (in a pod, `KUBECONFIG`, or `~/.kube/config`), else (or with
 * `embedded: true`) an embedded emulator started with `objects`: what the examples run on, so they
 * work with and without a cluster.
 */
export async function clusterFromEnvOrEmulator(options: ClusterFromEnvOptions = {}): Promise<ClusterChoice> {
  if (!options.embedded && clusterConfigured(options.env, options.home)) {
    return { kubeConfig: undefined, emulated: false, close: async () => {} };
  }
  const cluster = await createMockCluster(options.emulator);
  try {
    if (options.objects !== undefined) await cluster.apply(options.objects);
  } catch (error) {
    await cluster.close();
    throw error;
  }
  return { kubeConfig: cluster.kubeConfig, emulated: true, close: () => cluster.close() };
}
