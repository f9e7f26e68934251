import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakeClock.js';
import { SilenceTimer } from './silenceTimer.js';

function timer(allowedMs = 1000): { clock: FakeClock; silence: SilenceTimer; changes: boolean[] } {
  const clock = new FakeClock(10_000);
  const changes: boolean[] = [];
  const silence = new SilenceTimer(
    clock,
    () => allowedMs,
    (silent) => changes.push(silent),
  );
  return { clock, silence, changes };
}

describe('SilenceTimer', () => {
  it('is silent before the source first spoke, without any timer', () => {
    const { clock, silence, changes } = timer();
    expect(silence.silent()).toBe(true);
    expect(silence.lastHeardAt).toBeUndefined();
    expect([clock.pending, changes]).toEqual([0, []]);
  });

  it('reports silence only once the allowed time passed since the last sign of life', async () => {
    const { clock, silence, changes } = timer(1000);
    silence.heard();
    await clock.advance(600);
    silence.heard();
    await clock.advance(600);
    // 600 ms since the last sign: not silent, and the timer re-armed for the rest.
    expect([silence.silent(), changes, clock.pending]).toEqual([false, [], 1]);
    await clock.advance(401);
    expect([silence.silent(), changes, clock.pending]).toEqual([true, [true], 0]);
    await clock.advance(10_000);
    expect(changes).toEqual([true]);
    silence.heard();
    expect([silence.silent(), changes, clock.pending]).toEqual([false, [true, false], 1]);
  });

  it('keeps one timer however often the source speaks, and none after close', async () => {
    const { clock, silence, changes } = timer(1000);
    for (let i = 0; i < 100; i++) {
      silence.heard();
      await clock.advance(10);
    }
    expect(clock.pending).toBe(1);
    silence.close();
    expect(clock.pending).toBe(0);
    silence.heard();
    await clock.advance(5000);
    expect([clock.pending, changes]).toEqual([0, []]);
  });
});
