/** A cell as text: arrays joined with commas, nothing as `<none>`. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null || value === '') return '<none>';
  if (Array.isArray(value)) return value.length === 0 ? '<none>' : value.map(cellText).join(',');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows as a left-aligned text table under upper-case headers, columns three spaces apart, as kubectl prints. */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const text = rows.map((row) => columns.map((_, i) => cellText(row[i])));
  const headers = columns.map((c) => c.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase());
  const widths = headers.map((h, i) => Math.max(h.length, ...text.map((row) => row[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('   ')
      .trimEnd();
  return [line(headers), ...text.map(line)].join('\n');
}
