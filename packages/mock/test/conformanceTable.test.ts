import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  renderTable,
  rowsOf,
  type SuiteTest,
  TABLE_END,
  TABLE_START,
  tableIn,
  withTable,
} from '../scripts/conformanceTable.js';
import { runProcess } from './kubectl.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const test = (file: string, ...titles: string[]): SuiteTest => ({ titles, file });

describe('conformance table', () => {
  it('lists each client and operation once, sorted, with unsupported: rows as no', () => {
    const rows = rowsOf([
      test('ruby.test.ts', 'ruby', 'watch configmaps'),
      test('k.test.ts', 'kubectl', 'get -o yaml|json'),
      test('k.test.ts', 'kubectl', 'auth', 'auth can-i list pods'),
      test('k.test.ts', 'kubectl', 'unsupported: attach'),
      test('k2.test.ts', 'kubectl', 'get -o yaml|json'),
      test('p.test.ts', 'python', 'CRUD'),
    ]);
    expect(rows).toEqual([
      { client: 'kubectl', operation: 'attach', supported: false },
      { client: 'kubectl', operation: 'auth can-i list pods', supported: true },
      { client: 'kubectl', operation: 'get -o yaml|json', supported: true },
      { client: 'python', operation: 'CRUD', supported: true },
      { client: 'ruby', operation: 'watch configmaps', supported: true },
    ]);
    expect(renderTable(rows.slice(0, 3))).toBe(
      [
        '| client | operation | supported |',
        '| --- | --- | --- |',
        '| kubectl | attach | no |',
        '| kubectl | auth can-i list pods | yes |',
        '| kubectl | get -o yaml\\|json | yes |',
      ].join('\n'),
    );
  });

  it('refuses tests outside a client describe, unknown clients and titles with the separator', () => {
    expect(() => rowsOf([test('x.test.ts', 'get pods')])).toThrow(
      /top-level describe named after its client/,
    );
    expect(() => rowsOf([test('x.test.ts', 'perl', 'get pods')])).toThrow(
      /"perl" is not a client of the suite; use one of kubectl, python, ruby, client-node/,
    );
    expect(() => rowsOf([test('x.test.ts', 'kubectl', 'a > b')])).toThrow(/may not contain " > "/);
  });

  it('replaces only the marked section of the README, and says when the markers are missing', () => {
    const readme = `# title\n\nbefore\n\n${TABLE_START}\nold\n${TABLE_END}\n\nafter\n`;
    const next = withTable(readme, '| new |');
    expect(next).toBe(`# title\n\nbefore\n\n${TABLE_START}\n\n| new |\n\n${TABLE_END}\n\nafter\n`);
    expect(tableIn(next)).toBe('| new |');
    expect(withTable(next, '| new |')).toBe(next);
    expect(() => tableIn('# no table\n')).toThrow(/has no conformance table section: add the lines/);
    expect(() => tableIn(`${TABLE_START}\n${TABLE_END}\n${TABLE_START}\n${TABLE_END}`)).toThrow(
      /more than one/,
    );
  });

  it("the README's table matches the conformance suite's tests (re-run pnpm conformance:table when it does not)", async () => {
    const listed = await runProcess('pnpm', ['exec', 'vitest', 'list', 'test/conformance/', '--json'], {
      cwd: packageDir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      timeoutMs: 170_000,
    });
    expect(listed.code, listed.stderr).toBe(0);
    const entries = JSON.parse(listed.stdout.slice(listed.stdout.indexOf('['))) as {
      name: string;
      file: string;
    }[];
    expect(entries.length).toBeGreaterThan(0);
    const expected = renderTable(
      rowsOf(entries.map(({ name, file }) => ({ titles: name.split(' > '), file }))),
    );
    const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
    expect(
      tableIn(readme),
      'packages/mock/README.md is out of date with test/conformance: run pnpm --filter @kubesmart/mock conformance:table',
    ).toBe(expected);
  }, 180_000);
});
