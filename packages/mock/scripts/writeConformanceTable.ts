// Runs the conformance suite with vitest's JSON reporter and rewrites the compatibility table of the
// README from the results. Refuses (exit 1) when a test failed or was skipped: the table only lists
// what the suite proves.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderTable, rowsOf, type SuiteTest, withTable } from './conformanceTable.js';

interface JsonReport {
  testResults: {
    name: string;
    message?: string;
    assertionResults: { ancestorTitles: string[]; title: string; status: string }[];
  }[];
}

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const readmePath = join(packageDir, 'README.md');
const outDir = mkdtempSync(join(tmpdir(), 'kubesmart-conformance-report-'));
const reportPath = join(outDir, 'report.json');

try {
  const run = spawnSync(
    'pnpm',
    [
      'exec',
      'vitest',
      'run',
      'test/conformance/',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${reportPath}`,
    ],
    { cwd: packageDir, stdio: 'inherit' },
  );
  let report: JsonReport;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as JsonReport;
  } catch (error) {
    throw new Error(`vitest wrote no JSON report (exit ${run.status}): ${(error as Error).message}`);
  }
  const tests: SuiteTest[] = [];
  const problems: string[] = [];
  for (const file of report.testResults) {
    if (file.assertionResults.length === 0) problems.push(`${file.name}: ${file.message ?? 'no tests ran'}`);
    for (const test of file.assertionResults) {
      const titles = [...test.ancestorTitles, test.title];
      if (test.status !== 'passed') problems.push(`${titles.join(' > ')}: ${test.status}`);
      tests.push({ titles, file: file.name });
    }
  }
  if (problems.length > 0 || run.status !== 0) {
    console.error(`the README table is left as it was; the suite did not pass:\n${problems.join('\n')}`);
    process.exitCode = 1;
  } else {
    const rows = rowsOf(tests);
    const readme = readFileSync(readmePath, 'utf8');
    const next = withTable(readme, renderTable(rows));
    if (next !== readme) writeFileSync(readmePath, next);
    console.log(`${rows.length} rows written to ${readmePath}${next === readme ? ' (unchanged)' : ''}`);
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
