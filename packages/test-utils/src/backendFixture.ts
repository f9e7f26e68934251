import type { KubeObject } from '@kubesmart/mock';

export interface BackendFixtureOptions {
  /** Name of the Deployment and of the Service. @default 'backend' */
  name?: string;
  /** @default 'default' */
  namespace?: string;
  /** @default 3 */
  replicas?: number;
}

/**
 * A Deployment and its Service for `@kubesmart/mock`: pods answer `GET /` with `{ pod, namespace, port }`
 * on their named `http` port (8080), behind Service port 80, with a readiness probe on `/healthz`.
 */
export function backendFixture(options: BackendFixtureOptions = {}): KubeObject[] {
  const name = options.name ?? 'backend';
  const namespace = options.namespace ?? 'default';
  const labels = { app: name };
  const objects: KubeObject[] = [];
  if (namespace !== 'default') {
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  }
  objects.push(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: options.replicas ?? 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name,
                image: `example/${name}:1.0.0`,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  );
  return objects;
}
