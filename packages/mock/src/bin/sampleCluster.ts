import type { KubeObject } from '../types.js';

function shopService(name: string, replicas: number): KubeObject[] {
  const labels = { app: name, 'app.kubernetes.io/part-of': 'shop' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: 'shop', labels },
      spec: {
        replicas,
        selector: { matchLabels: { app: name } },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name,
                image: `kubesmart/${name}:1.0.0`,
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
      metadata: { name, namespace: 'shop', labels },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ];
}

/** A namespace, two services with three ready pods each, and a ConfigMap. */
export function sampleCluster(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    ...shopService('catalog', 3),
    ...shopService('cart', 3),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-config', namespace: 'shop' },
      data: { currency: 'EUR', 'feature.new-checkout': 'true' },
    },
  ];
}
