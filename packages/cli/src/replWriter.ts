import { inspect } from 'node:util';
import { KubeResource, type PodDiagnosis, Query, type QueryExplanation, ResultList } from '@kubesmart/core';
import { formatDiagnosis } from '@kubesmart/core/building-blocks';

const isDiagnosis = (value: object): value is PodDiagnosis =>
  'findings' in value && 'summary' in value && 'healthy' in value;

const isExplanation = (value: object): value is QueryExplanation =>
  'text' in value && 'steps' in value && 'matched' in value;

/**
 * How the console prints values: arrays of wrappers as tables, a wrapper as one line, a query that
 * has not run as a hint, diagnoses and explanations as their text, anything else as `util.inspect`.
 */
export function replWriter(colors: boolean): (value: unknown) => string {
  return (value) => {
    if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof KubeResource)) {
      return (value instanceof ResultList ? value : ResultList.fromItems(value)).toTable();
    }
    if (value instanceof ResultList) return '(no results)';
    if (value instanceof Query)
      return `<query: ${value.describe()}> (await .all(), .first(), .count() or .explain())`;
    if (value !== null && typeof value === 'object') {
      if (isDiagnosis(value)) return formatDiagnosis(value);
      if (isExplanation(value)) return value.text;
    }
    if (typeof value === 'string' && value.includes('\n')) return value;
    return inspect(value, { colors, depth: 4 });
  };
}
