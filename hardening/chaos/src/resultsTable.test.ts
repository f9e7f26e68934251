import { describe, expect, it } from 'vitest';
import { failedRows, resultsTable } from './resultsTable.js';

describe('resultsTable', () => {
  it('writes one row per figure with the four columns', () => {
    const table = resultsTable([
      { scenario: 'api restart', expected: 'caches equal the server', observed: '3/3 equal', pass: true },
      { scenario: 'kv 409s', expected: '0 lost', observed: '2 lost', pass: false },
    ]);
    expect(table.split('\n')).toEqual([
      '| scenario | expected | observed | pass |',
      '|---|---|---|---|',
      '| api restart | caches equal the server | 3/3 equal | yes |',
      '| kv 409s | 0 lost | 2 lost | **no** |',
      '',
    ]);
  });

  it('keeps a row on one line when a cell holds pipes or line breaks', () => {
    const table = resultsTable([{ scenario: 'a|b', expected: 'x\ny', observed: 'p \\ q', pass: true }]);
    expect(table).toContain('| a\\|b | x y | p \\\\ q | yes |');
  });

  it('lists the rows that failed', () => {
    const rows = [
      { scenario: 'a', expected: '', observed: '', pass: true },
      { scenario: 'b', expected: '', observed: '', pass: false },
    ];
    expect(failedRows(rows).map((row) => row.scenario)).toEqual(['b']);
  });
});
