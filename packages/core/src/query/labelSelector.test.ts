import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { formatAge, toMs } from './format/duration.js';
import { formatTable } from './format/textTable.js';
import {
  formatSelector,
  matchesRequirement,
  parseSelector,
  requirementsOf,
  requirementsOfSelector,
} from './labelSelector.js';

describe('label selectors', () => {
  it('parse and format every operator of the grammar', () => {
    // The API server's canonical form: requirements sorted by key, set values sorted.
    const text = 'app=web,canary,env in (a,b),!legacy,tier!=db,zone notin (x,y)';
    const parsed = parseSelector(`app==web, tier != db,env in (a, b),zone notin (x,y),canary,!legacy`);
    expect(formatSelector(parsed)).toBe(text);
    expect(() => parseSelector('app in a')).toThrow(InvalidArgumentError);
  });

  it('match as kube-apiserver does: != and notin match absent labels', () => {
    const [exists, absent, ne, notin] = parseSelector('tier!=db,zone notin (x),canary,!legacy');
    expect(matchesRequirement(ne!, {})).toBe(true);
    expect(matchesRequirement(notin!, { zone: 'x' })).toBe(false);
    expect(matchesRequirement(exists!, { canary: '' })).toBe(true);
    expect(matchesRequirement(absent!, { legacy: 'yes' })).toBe(false);
  });

  it('build requirements from label maps and LabelSelector JSON', () => {
    expect(formatSelector(requirementsOf({ app: 'web', v: ['1', '2'] }, true))).toBe(
      'app!=web,v notin (1,2)',
    );
    expect(
      formatSelector(
        requirementsOfSelector({
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }],
        }),
      ),
    ).toBe('app=web,!env');
    expect(() => requirementsOf({ app: [] })).toThrow(InvalidArgumentError);
  });
});

describe('durations and tables', () => {
  it('reads durations and prints ages as kubectl does', () => {
    expect(toMs('1h30m')).toBe(5_400_000);
    expect(toMs(250)).toBe(250);
    expect(() => toMs('1 hour')).toThrow(InvalidArgumentError);
    expect([formatAge(5000), formatAge(600_000), formatAge(18_000_000), formatAge(259_200_000)]).toEqual([
      '5s',
      '10m',
      '5h',
      '3d',
    ]);
  });

  it('aligns text tables', () => {
    expect(
      formatTable(
        ['name', 'clusterIP'],
        [
          ['a', undefined],
          ['long-name', ['1', '2']],
        ],
      ),
    ).toBe(['NAME        CLUSTER_IP', 'a           <none>', 'long-name   1,2'].join('\n'));
  });
});
