/**
 * A generator of numbers in [0, 1) (mulberry32): the same sequence for the same starting number.
 * Pass it as `podNameRandom` to get the same pod names on every run.
 */
export function repeatableRandom(start: number): () => number {
  let state = start >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** @deprecated Renamed {@link repeatableRandom}; this name goes in the next major version. */
export const seededRandom = repeatableRandom;
