import type { MockCluster } from '@kubesmart/mock';

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

/** Polls until `count` pods with the label are ready; returns their names. */
export async function readyPods(
  cluster: MockCluster,
  app: string,
  count: number,
  namespace = 'shop',
): Promise<string[]> {
  for (let i = 0; i < 300; i++) {
    const ready = cluster.pods
      .status()
      .filter((p) => p.namespace === namespace && p.name.startsWith(`${app}-`) && p.ready)
      .map((p) => p.name);
    if (ready.length >= count) return ready;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${count} ready ${app} pods`);
}
