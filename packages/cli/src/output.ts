import type { KindName, KubeResource } from '@kubesmart/core';
import { formatTable } from '@kubesmart/core/building-blocks';
import { UsageError } from './command.js';

export type OutputFormat = 'table' | 'wide' | 'json' | 'name';

/** Columns only `-o wide` shows, per kind. */
const WIDE_ONLY: Partial<Record<KindName, readonly string[]>> = {
  pods: ['ip', 'node', 'image'],
  deployments: ['image'],
  replicasets: ['image'],
  nodes: ['internalIP', 'zone'],
};

export function outputFormat(value: string | undefined): OutputFormat {
  if (value === undefined) return 'table';
  if (value === 'wide' || value === 'json' || value === 'name') return value;
  throw new UsageError(`unknown output format "${value}"; use wide, json or name`);
}

/** Objects as `kubectl get` prints them: a table (NAMESPACE only with -A), wide, JSON or names. */
export function renderResources(
  kind: KindName,
  items: readonly KubeResource[],
  options: { format: OutputFormat; allNamespaces: boolean },
): string {
  if (options.format === 'json') {
    return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: items.map((i) => i.raw) }, null, 2)}\n`;
  }
  if (options.format === 'name') return items.map((i) => `${i.ref}\n`).join('');
  const hidden = new Set([
    ...(options.allNamespaces ? [] : ['namespace']),
    ...(options.format === 'wide' ? [] : (WIDE_ONLY[kind] ?? [])),
  ]);
  const rows = items.map((i) =>
    Object.fromEntries(Object.entries(i.columns()).filter(([key]) => !hidden.has(key))),
  );
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return `${formatTable(
    columns,
    rows.map((row) => columns.map((c) => row[c])),
  )}\n`;
}
