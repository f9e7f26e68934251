/** One figure of a chaos run: what a scenario was expected to show and what it showed. */
export interface ResultRow {
  scenario: string;
  /** The property that must hold, in words (`0 lost updates`, `<= 1 relist per cache`). */
  expected: string;
  /** What the run measured, in words and numbers. */
  observed: string;
  pass: boolean;
}

/** A Markdown table cell: pipes escaped, line breaks folded, so a row stays one line. */
function cell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');
}

/** The rows as a Markdown table with the columns scenario, expected, observed, pass. */
export function resultsTable(rows: readonly ResultRow[]): string {
  const lines = ['| scenario | expected | observed | pass |', '|---|---|---|---|'];
  for (const row of rows) {
    lines.push(
      `| ${cell(row.scenario)} | ${cell(row.expected)} | ${cell(row.observed)} | ${row.pass ? 'yes' : '**no**'} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The rows that did not pass. */
export function failedRows(rows: readonly ResultRow[]): ResultRow[] {
  return rows.filter((row) => !row.pass);
}
