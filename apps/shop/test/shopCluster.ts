import { type MockCluster, waitForPods } from '@kubesmart/mock';

/** Deployment and Service YAML of one shop service for the emulator, like deploy/shop.yaml. */
export function shopServiceYaml(name: string, replicas: number, namespace = 'shop'): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: kubesmart/shop:dev
          args: [${name}]
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /${name}/health, port: http } }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${namespace}, labels: { app: ${name} } }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

/** Waits until `count` pods of the app are ready; returns their names. */
export async function readyPods(
  cluster: MockCluster,
  app: string,
  count: number,
  namespace = 'shop',
): Promise<string[]> {
  const pods = await waitForPods(cluster, { count, namespace, labelSelector: `app=${app}` });
  return pods.map((pod) => pod.metadata.name ?? '');
}
