import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createMockCluster } from '@kubesmart/mock';

/** Where the backend runs: `{}` for the configured cluster, else a kubeConfig for an embedded emulator. */
export interface ClusterChoice {
  kubeConfig?: Awaited<ReturnType<typeof createMockCluster>>['kubeConfig'];
  close(): Promise<void>;
}

const BACKEND = `
apiVersion: apps/v1
kind: Deployment
metadata: { name: my-backend }
spec:
  replicas: 3
  selector: { matchLabels: { app: my-backend } }
  template:
    metadata: { labels: { app: my-backend } }
    spec:
      containers:
        - name: my-backend
          image: example/my-backend:1.0.0
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /healthz, port: http } }
---
apiVersion: v1
kind: Service
metadata: { name: my-backend }
spec:
  selector: { app: my-backend }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

/**
 * The cluster in the environment (in a pod, KUBECONFIG, or ~/.kube/config), else an embedded
 * `@kubesmart/mock` emulator running `my-backend` with three pods (always with `embedded: true`).
 */
export async function chooseCluster(options: { embedded?: boolean } = {}): Promise<ClusterChoice> {
  const env = process.env;
  const configured =
    env.KUBERNETES_SERVICE_HOST || env.KUBECONFIG || existsSync(join(homedir(), '.kube', 'config'));
  if (configured && !options.embedded) return { close: async () => {} };
  const cluster = await createMockCluster();
  await cluster.apply(BACKEND);
  return { kubeConfig: cluster.kubeConfig, close: () => cluster.close() };
}
