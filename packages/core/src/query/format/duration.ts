import { InvalidArgumentError } from '../../errors.js';

/** Milliseconds, or text like `90s`, `5m`, `1h`, `2d`, `1h30m`. */
export type Duration = number | string;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A {@link Duration} in milliseconds; throws {@link InvalidArgumentError} for text it cannot read. */
export function toMs(duration: Duration): number {
  if (typeof duration === 'number') {
    if (!Number.isFinite(duration) || duration < 0) {
      throw new InvalidArgumentError(`a duration must be a non-negative number of ms, got ${duration}.`);
    }
    return duration;
  }
  const text = duration.trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new InvalidArgumentError(
      `the duration "${duration}" cannot be read; write it like 90s, 5m, 1h or 1h30m.`,
    );
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 'ms'] ?? 1), 0);
}

/** `3d`, `5h`, `12m`, `40s`: the largest unit, as kubectl's AGE column. */
export function formatAge(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '<unknown>';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172_800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
