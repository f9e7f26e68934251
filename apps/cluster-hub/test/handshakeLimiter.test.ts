import { describe, expect, it } from 'vitest';
import { HandshakeLimiter } from '../src/handshakeLimiter.js';

describe('HandshakeLimiter', () => {
  it('admits perSecond at once and spreads the refused over the queue', () => {
    let now = 0;
    const limiter = new HandshakeLimiter(2, () => now);
    const waits = Array.from({ length: 6 }, () => limiter.take());
    expect(waits.slice(0, 2)).toEqual([0, 0]);
    expect(waits.slice(2)).toEqual([1, 2, 2, 3]);
    now = 1000; // a second later two tokens are back, and the queue count starts again
    expect([limiter.take(), limiter.take(), limiter.take()]).toEqual([0, 0, 1]);
  });
});
