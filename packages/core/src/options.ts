import { InvalidArgumentError } from './errors.js';

/**
 * Merges caller options over a frozen defaults object once, at a constructor boundary.
 * Keys the caller left `undefined` keep their default, so optional settings can be forwarded as is;
 * keys without a default are not copied.
 */
export function withDefaults<D extends object>(defaults: D, options: Partial<D> | undefined): D {
  const merged = { ...defaults };
  if (options === undefined) return merged;
  for (const key of Object.keys(defaults) as (keyof D)[]) {
    const value = options[key];
    if (value !== undefined) merged[key] = value as D[keyof D];
  }
  return merged;
}

/** Throws {@link InvalidArgumentError} unless `value` is a finite number in [min, max]. */
export function assertRange(owner: string, name: string, value: number, min: number, max = Infinity): void {
  if (!Number.isFinite(value) && value !== Infinity) {
    throw new InvalidArgumentError(`${owner}: option \`${name}\` must be a number, got ${String(value)}.`);
  }
  if (value < min || value > max) {
    const range = max === Infinity ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidArgumentError(
      `${owner}: option \`${name}\` is ${value}; it must be ${range}. Fix the value passed to ${owner}.`,
    );
  }
}
