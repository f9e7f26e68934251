import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakeClock.js';
import { CallTimeoutError } from '../errors.js';
import { runWithTimeout } from './attemptTimeout.js';

describe('runWithTimeout', () => {
  it('resolves with the value and clears its timer', async () => {
    const clock = new FakeClock();
    expect(await runWithTimeout(async () => 42, { timeoutMs: 100, clock, what: 'x' })).toBe(42);
    expect(clock.pending).toBe(0);
  });

  it('rejects with CallTimeoutError and aborts the signal, even if fn ignores it', async () => {
    const clock = new FakeClock();
    let seen: AbortSignal | undefined;
    const pending = runWithTimeout(
      (signal) => {
        seen = signal;
        return new Promise<never>(() => {});
      },
      { timeoutMs: 100, clock, what: 'call to api on 10.0.0.1:80' },
    );
    const assertion = expect(pending).rejects.toThrow(CallTimeoutError);
    await clock.advance(100);
    await assertion;
    await expect(pending).rejects.toThrow(/call to api on 10.0.0.1:80 did not finish within 100 ms/);
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBeInstanceOf(CallTimeoutError);
  });

  it('follows the caller signal, and passes through errors and sync throws', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const pending = runWithTimeout(() => new Promise<never>(() => {}), {
      timeoutMs: 100,
      clock,
      signal: controller.signal,
      what: 'x',
    });
    controller.abort(new Error('stop'));
    await expect(pending).rejects.toThrow('stop');
    expect(clock.pending).toBe(0);
    await expect(
      runWithTimeout(async () => Promise.reject(new Error('boom')), { timeoutMs: 1, clock, what: 'x' }),
    ).rejects.toThrow('boom');
    await expect(
      runWithTimeout(
        () => {
          throw new Error('sync');
        },
        { timeoutMs: Infinity, clock, what: 'x' },
      ),
    ).rejects.toThrow('sync');
    await expect(
      runWithTimeout(async () => 1, { timeoutMs: 1, clock, signal: controller.signal, what: 'x' }),
    ).rejects.toThrow('stop');
  });
});
