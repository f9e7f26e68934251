import { type Command, UsageError } from '../command.js';

/** `key1=value1;key2=value2`, k8skv's `--data` format, as an object. */
export function parseData(text: string): Record<string, string> {
  // No prototype: a key named `__proto__` is data, not the prototype setter.
  const data = Object.create(null) as Record<string, string>;
  for (const pair of text.split(';').filter(Boolean)) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--data takes key=value pairs separated by ";"; "${pair}" has no key`);
    data[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return data;
}

const path = (namespace: string, name?: string): string =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps${name ? `/${encodeURIComponent(name)}` : ''}`;

/** k8skv's command line: create, get and delete one ConfigMap. */
export const configmap: Command = {
  name: 'configmap',
  summary: 'create, get or delete a ConfigMap (the k8skv command line)',
  usage: 'configmap create|get|delete NAME [-n NS] [--data "k1=v1;k2=v2"]',
  options: { data: { type: 'string' } },
  async run({ positionals, values, session, io }) {
    const [verb, name] = positionals;
    if (!name || !['create', 'get', 'delete'].includes(verb ?? '')) {
      throw new UsageError('configmap create|get|delete NAME');
    }
    const s = await session();
    const { client } = s.ks.context;
    if (verb === 'create') {
      const data = parseData(typeof values.data === 'string' ? values.data : '');
      await client.request('POST', path(s.namespace), {
        body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data },
      });
      io.out(`ConfigMap ${name} created in namespace ${s.namespace}\n`);
    } else if (verb === 'get') {
      const cm = await client.request<{ data?: Record<string, string> }>('GET', path(s.namespace, name));
      io.out(`ConfigMap ${name} in namespace ${s.namespace}: ${JSON.stringify(cm.data ?? {})}\n`);
    } else {
      await client.request('DELETE', path(s.namespace, name));
      io.out(`ConfigMap ${name} deleted from namespace ${s.namespace}\n`);
    }
    return 0;
  },
};
