import { formatTable } from '../format/textTable.js';

/** Property names of `W` that are values, not methods. */
export type PluckKey<W> = {
  [K in keyof W]: W[K] extends (...args: never[]) => unknown ? never : K;
}[keyof W] &
  string;

/** One row of `pluck()`: the fields asked for, by name. */
export type Plucked<W, K extends keyof W> = { [P in K]: W[P] };

interface Tabular {
  columns(): Record<string, unknown>;
}

/** The results of a query: an array of typed wrappers with `pluck`, `prettyPluck` and `toTable`. */
export class ResultList<W> extends Array<W> {
  // map/filter/slice give plain arrays.
  static override get [Symbol.species](): ArrayConstructor {
    return Array;
  }

  static fromItems<W>(items: Iterable<W>): ResultList<W> {
    const list = new ResultList<W>();
    for (const item of items) list.push(item);
    return list;
  }

  /** The fields asked for, one object per result. */
  pluck<K extends PluckKey<W>>(...fields: K[]): Plucked<W, K>[] {
    return Array.prototype.map.call(this, (item: W) => {
      const row = {} as Plucked<W, K>;
      for (const field of fields) row[field] = item[field];
      return row;
    }) as Plucked<W, K>[];
  }

  /** The name and the fields asked for, as an aligned text table. */
  prettyPluck<K extends PluckKey<W>>(...fields: K[]): string {
    const columns = ['name', ...fields.filter((f) => f !== 'name')] as K[];
    const rows = Array.prototype.map.call(this, (item: W) => columns.map((c) => item[c])) as unknown[][];
    return formatTable(columns, rows);
  }

  /** Each wrapper's usual columns (those `kubectl get` shows), as a text table. */
  toTable(): string {
    const rows = Array.prototype.map.call(this, (item: W) =>
      (item as unknown as Tabular).columns(),
    ) as Record<string, unknown>[];
    const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    if (columns.length === 0) return '(no results)';
    return formatTable(
      columns,
      rows.map((row) => columns.map((c) => row[c])),
    );
  }
}
