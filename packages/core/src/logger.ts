import type { Logger } from './types.js';

const noop = (): void => {};

/** A logger that drops everything: the default wherever a logger is optional. */
export const noopLogger: Logger = Object.freeze({
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => noopLogger,
});
