import type { KubeObject } from '../types.js';

/** The namespace of the sample shop, and of the context of its kubeconfig. */
export const SAMPLE_NAMESPACE = 'shop';

function shopService(name: string, replicas: number): KubeObject[] {
  const labels = { app: name, 'app.kubernetes.io/part-of': 'shop' };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: SAMPLE_NAMESPACE, labels },
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
      metadata: { name, namespace: SAMPLE_NAMESPACE, labels },
      spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ];
}

/** A namespace, two services with three ready pods each, and a ConfigMap. */
export function sampleCluster(): KubeObject[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SAMPLE_NAMESPACE } },
    ...shopService('catalog', 3),
    ...shopService('cart', 3),
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'shop-config', namespace: SAMPLE_NAMESPACE },
      data: { currency: 'EUR', 'feature.new-checkout': 'true' },
    },
  ];
}
