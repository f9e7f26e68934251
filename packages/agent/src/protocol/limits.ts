/** Protocol defaults; the hub announces its own values in the welcome frame. */
export const PROTOCOL_DEFAULTS = Object.freeze({
  /** Largest frame either side accepts, in bytes. */
  maxFrameBytes: 1024 * 1024,
  /** Chunks a stream may have in flight before the hub grants more. */
  window: 8,
  /** Bytes of data per chunk the agent sends. */
  chunkBytes: 64 * 1024,
  /** Hub ping period, in ms; an agent silent for two periods is gone. */
  heartbeatMs: 5000,
});
