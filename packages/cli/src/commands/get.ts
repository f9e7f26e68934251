import type { KubeResource, Query } from '@kubesmart/core';
import { type Command, UsageError } from '../command.js';
import { kindOf } from '../kindNames.js';
import { outputFormat, renderResources } from '../output.js';

const CLUSTER_SCOPED = new Set(['nodes', 'namespaces']);

export const get: Command = {
  name: 'get',
  summary: 'list objects, filtered on the server where possible (--broken, --running, --pending, -l)',
  usage:
    'get KIND [NAME...] [-n NS | -A] [-l SELECTOR] [--broken | --running | --pending] [-o wide|json|name] [--explain]',
  options: {
    'all-namespaces': { type: 'boolean', short: 'A' },
    selector: { type: 'string', short: 'l' },
    broken: { type: 'boolean' },
    running: { type: 'boolean' },
    pending: { type: 'boolean' },
    output: { type: 'string', short: 'o' },
    explain: { type: 'boolean' },
  },
  async run({ positionals, values, session, io }) {
    const [kindName, ...names] = positionals;
    const kind = kindOf(kindName);
    const format = outputFormat(values.output as string | undefined);
    const status = (['broken', 'running', 'pending'] as const).filter((flag) => values[flag] === true);
    if (status.length > 1) throw new UsageError(`--${status.join(' and --')} exclude each other; pick one`);
    if (status.length > 0 && kind !== 'pods') throw new UsageError(`--${status[0]} applies to pods only`);
    const s = await session();
    const allNamespaces = values['all-namespaces'] === true || CLUSTER_SCOPED.has(kind);
    let query = s.q.of(kind) as unknown as Query<KubeResource>;
    if (!allNamespaces) query = query.inNamespace(s.namespace);
    if (names.length > 0) query = query.named(...names);
    if (typeof values.selector === 'string') query = query.withLabelSelector(values.selector);
    if (status[0]) {
      const pods = query as unknown as ReturnType<typeof s.q.pods>;
      query = (status[0] === 'broken'
        ? pods.broken()
        : status[0] === 'running'
          ? pods.running()
          : pods.pending()) as unknown as Query<KubeResource>;
    }
    const { items, explanation } = await query.run();
    if (values.explain === true) io.err(`${explanation.text}\n`);
    if (items.length === 0 && (format === 'table' || format === 'wide')) {
      io.err(`No resources found${allNamespaces ? '' : ` in ${s.namespace} namespace`}.\n`);
      return 0;
    }
    io.out(renderResources(kind, items, { format, allNamespaces: values['all-namespaces'] === true }));
    return 0;
  },
};
