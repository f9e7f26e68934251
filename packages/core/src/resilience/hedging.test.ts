import { describe, expect, it } from 'vitest';
import { FakeClock, flush } from '../../test/fakeClock.js';
import { InvalidArgumentError } from '../errors.js';
import { HedgePolicy, type RacedOutcome, type RaceRunner, raceWithHedge } from './hedging.js';
import { LatencyWindow } from './latencyWindow.js';

/** A runner settling when the test says so, that records whether it was told it lost. */
function controlled(state: string) {
  let settle: ((outcome: RacedOutcome<string, string>) => void) | undefined;
  const seen = { started: false, lost: false };
  const runner: RaceRunner<string, string> = (lost) => {
    seen.started = true;
    lost.addEventListener('abort', () => {
      seen.lost = true;
    });
    return new Promise((resolve) => {
      settle = resolve;
    });
  };
  return {
    runner,
    seen,
    succeed: (value: string) => settle?.({ ok: true, value, state }),
    fail: (error: unknown) => settle?.({ ok: false, error, state }),
  };
}

describe('LatencyWindow', () => {
  it('reports the p99 of the last samples and forgets older ones', () => {
    const window = new LatencyWindow(100, 0.99, 1);
    expect(window.value).toBeUndefined();
    for (let i = 1; i <= 100; i++) window.record(i);
    expect(window.value).toBe(99);
    for (let i = 0; i < 100; i++) window.record(5);
    expect([window.value, window.count]).toEqual([5, 100]);
  });
});

describe('HedgePolicy', () => {
  it('waits initialDelayMs until minSamples, then a multiple of the observed p99, within bounds', () => {
    const policy = new HedgePolicy({ initialDelayMs: 400, minSamples: 5, minDelayMs: 10 });
    expect(policy.delayMs(10_000)).toBe(400);
    for (let i = 0; i < 5; i++) policy.record(30);
    expect(policy.delayMs(10_000)).toBe(60);
    expect(policy.delayMs(50)).toBe(50);
    const fast = new HedgePolicy({ minSamples: 1, minDelayMs: 25 });
    fast.record(1);
    expect(fast.delayMs(10_000)).toBe(25);
  });

  it('rejects options out of range', () => {
    expect(() => new HedgePolicy({ latencyMultiplier: 0.5 })).toThrow(InvalidArgumentError);
    expect(() => new HedgePolicy({ minDelayMs: 100, initialDelayMs: 50 })).toThrow(/initialDelayMs/);
  });
});

describe('raceWithHedge', () => {
  it('does not hedge an attempt that answers before the delay, and clears its timer', async () => {
    const clock = new FakeClock();
    const first = controlled('a');
    let asked = 0;
    const never = (): undefined => {
      asked++;
      return undefined;
    };
    const race = raceWithHedge(first.runner, never, 100, clock);
    first.succeed('from a');
    const result = await race;
    expect(result).toMatchObject({ outcome: { ok: true, value: 'from a' }, hedged: false });
    expect([asked, clock.pending]).toEqual([0, 0]);
  });

  it('sends a hedge after the delay; the first answer wins and the slow attempt is told it lost', async () => {
    const clock = new FakeClock();
    const first = controlled('hung');
    const second = controlled('b');
    const race = raceWithHedge(first.runner, () => second.runner, 100, clock);
    await clock.advance(99);
    expect(second.seen.started).toBe(false);
    await clock.advance(1);
    expect(second.seen.started).toBe(true);
    second.succeed('from b');
    const result = await race;
    expect(result).toMatchObject({ outcome: { ok: true, state: 'b' }, hedged: true, failed: [] });
    expect(first.seen.lost).toBe(true);
  });

  it('waits for the other attempt when one fails, and settles with the last failure when both do', async () => {
    const clock = new FakeClock();
    const first = controlled('a');
    const second = controlled('b');
    const race = raceWithHedge(first.runner, () => second.runner, 10, clock);
    await clock.advance(10);
    second.fail(new Error('b failed'));
    await flush();
    first.fail(new Error('a failed'));
    const result = await race;
    expect(result.outcome).toMatchObject({ ok: false, state: 'a' });
    expect(result.failed.map((f) => f.state)).toEqual(['b']);
  });

  it('settles a failure before the delay at once, and waits alone when no hedge can be sent', async () => {
    const clock = new FakeClock();
    const early = controlled('a');
    const race = raceWithHedge(early.runner, () => undefined, 100, clock);
    early.fail(new Error('refused'));
    expect((await race).outcome).toMatchObject({ ok: false, state: 'a' });
    expect(clock.pending).toBe(0);

    const alone = controlled('a');
    const waiting = raceWithHedge(alone.runner, () => undefined, 100, clock);
    await clock.advance(500);
    alone.succeed('late');
    expect(await waiting).toMatchObject({ outcome: { ok: true, value: 'late' }, hedged: false });
  });
});
