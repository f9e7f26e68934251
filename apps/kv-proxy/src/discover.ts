import type { KubeClient } from '@kubesmart/core/building-blocks';

/** Lists a namespace's Services: the proxy's Kubernetes client. */
export type ServiceLister = Pick<KubeClient, 'request'>;

interface ServiceList {
  items?: { metadata?: { name?: string }; spec?: { clusterIP?: string } }[];
}

/** `{ name: clusterIP }` for every Service of the namespace, as the seed's /discover answered. */
export async function servicesByName(
  client: ServiceLister,
  namespace: string,
): Promise<Record<string, string | null>> {
  const list = await client.request<ServiceList>(
    'GET',
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/services`,
  );
  const result: Record<string, string | null> = {};
  for (const item of list.items ?? [])
    if (item.metadata?.name) result[item.metadata.name] = item.spec?.clusterIP ?? null;
  return result;
}
