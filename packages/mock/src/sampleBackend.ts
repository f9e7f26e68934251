import type { KubeObject } from './types.js';

/**
 * A backend to run on the emulator: a Deployment of `replicas` pods (port `http` 8080, readiness on
 * `GET /healthz`) and its Service (port `http` 80), all labelled `app: <name>`.
 */
export function sampleBackend(name = 'my-backend', replicas = 3, namespace = 'default'): KubeObject[] {
  const labels = { app: name };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace },
      spec: {
        replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name,
                image: `example/${name}:1.0.0`,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ];
}
