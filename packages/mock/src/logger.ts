import type { Logger } from './types.js';

const noop = (): void => {};

/** The default wherever a logger is optional: drops everything. */
export const noopLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
