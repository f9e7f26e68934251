import type { Clock, TimerHandle } from '../types.js';

/**
 * Tells when a source has been silent for longer than it is allowed: `heard()` on every sign of life,
 * `onSilent(true)` once the allowed time passed without one, `onSilent(false)` at the next sign. One
 * timer at a time, re-armed for the rest of the allowed time, unref'd, cleared by `close()`.
 */
export class SilenceTimer {
  readonly #clock: Clock;
  readonly #allowedMs: () => number;
  readonly #onSilent: (silent: boolean) => void;
  #lastHeardAt: number | undefined;
  #timer: TimerHandle | undefined;
  #silent = false;
  #closed = false;

  constructor(clock: Clock, allowedMs: () => number, onSilent: (silent: boolean) => void) {
    this.#clock = clock;
    this.#allowedMs = allowedMs;
    this.#onSilent = onSilent;
  }

  /** When the source last spoke; undefined before it first did. */
  get lastHeardAt(): number | undefined {
    return this.#lastHeardAt;
  }

  /** Silent longer than allowed now (exact at the time of the call, not only when the timer fired). */
  silent(): boolean {
    return this.#lastHeardAt === undefined || this.#clock.now() - this.#lastHeardAt > this.#allowedMs();
  }

  heard(): void {
    if (this.#closed) return;
    this.#lastHeardAt = this.#clock.now();
    if (this.#silent) {
      this.#silent = false;
      this.#onSilent(false);
    }
    if (this.#timer === undefined) this.#arm(this.#allowedMs());
  }

  close(): void {
    this.#closed = true;
    this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #arm(ms: number): void {
    this.#timer = this.#clock.setTimeout(() => this.#check(), ms, { unref: true });
  }

  #check(): void {
    this.#timer = undefined;
    if (this.#closed || this.#lastHeardAt === undefined) return;
    const quietMs = this.#clock.now() - this.#lastHeardAt;
    const allowedMs = this.#allowedMs();
    if (quietMs <= allowedMs) {
      this.#arm(allowedMs - quietMs + 1);
      return;
    }
    // Armed again by the next heard().
    this.#silent = true;
    this.#onSilent(true);
  }
}
