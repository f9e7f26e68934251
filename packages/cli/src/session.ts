import { createKubeSmart, type KubeSmart, loadKubeConfig, type QueryEngine } from '@kubesmart/core';
import type { MockCluster } from '@kubesmart/mock';

/** A connection to a cluster: the KubeSmart instance, its query engine and the namespace to use. */
export interface Session {
  readonly ks: KubeSmart;
  readonly q: QueryEngine;
  /** `-n`, else the kubeconfig context's namespace, else `default`. */
  readonly namespace: string;
  /** The embedded cluster of `--mock`. */
  readonly cluster: MockCluster | undefined;
  close(): Promise<void>;
}

export interface SessionOptions {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  mock?: boolean | undefined;
}

/**
 * Connects with the current kubeconfig (`loadKubeConfig()`: in-cluster, KUBECONFIG, ~/.kube/config),
 * a file given with `--kubeconfig`, or an embedded emulated cluster with sample pods (`--mock`).
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  // The emulator (and its TLS and YAML libraries) loads only for --mock.
  const cluster = options.mock ? await (await import('./sampleCluster.js')).startSampleCluster() : undefined;
  try {
    const kubeConfig =
      cluster?.kubeConfig ??
      loadKubeConfig({
        ...(options.kubeconfig ? { path: options.kubeconfig } : {}),
        ...(options.context ? { context: options.context } : {}),
      });
    const ks = createKubeSmart({
      kubeConfig,
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    const q = ks.query;
    return {
      ks,
      q,
      namespace: ks.namespace,
      cluster,
      close: async () => {
        await ks.close();
        await cluster?.close();
      },
    };
  } catch (error) {
    await cluster?.close();
    throw error;
  }
}
