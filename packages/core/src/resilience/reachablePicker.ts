import type { EndpointPicker } from '../balancing/endpointPicker.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import { createTcpProbe, type HealthProbe, type ProbeResult } from '../health/probes.js';
import { assertRange, withDefaults } from '../options.js';
import type { Clock } from '../types.js';

/** The check `pickReachable()` makes before it hands an endpoint out. */
export interface ReachabilityOptions {
  /**
   * An endpoint seen reachable this recently is handed out without a new check, in ms. Seen
   * reachable: a passing health check, a call or fetch it served, a success given to
   * `report()`, or this check. `0` checks every pick.
   * @default 250
   */
  ttlMs?: number;
  /**
   * Time the check's TCP connect may take, in ms.
   * @default 250
   */
  timeoutMs?: number;
  /**
   * Endpoints checked for one pick before it fails with the last one's reason.
   * @default 3
   */
  maxChecks?: number;
}

export const REACHABILITY_DEFAULTS: Readonly<Required<ReachabilityOptions>> = Object.freeze({
  ttlMs: 250,
  timeoutMs: 250,
  maxChecks: 3,
});

export interface ReachablePickerInit extends ReachabilityOptions {
  readonly picker: EndpointPicker;
  readonly clock: Clock;
  /** Called when a check finds an endpoint unreachable, before another is picked. */
  readonly onUnreachable: (state: EndpointState, reason: string) => void;
  /** @default a TCP connect */
  readonly probe?: HealthProbe;
}

/** The outcome of a pick: the endpoint, or why none could be handed out. */
export type ReachablePick =
  | { readonly state: EndpointState; readonly reason?: undefined }
  | { readonly state: undefined; readonly reason: string | undefined };

/**
 * Picks an endpoint and makes sure it accepts connections, as kubeSmartService did on
 * every resolve, but cached: an endpoint seen reachable within `ttlMs` is handed out at the cost of
 * a pick, and concurrent picks of one endpoint share one check. An unreachable endpoint is reported
 * through `onUnreachable` (so every later pick avoids it) and another is picked.
 */
export class ReachablePicker {
  readonly #o: Readonly<Required<ReachabilityOptions>>;
  readonly #picker: EndpointPicker;
  readonly #clock: Clock;
  readonly #probe: HealthProbe;
  readonly #onUnreachable: ReachablePickerInit['onUnreachable'];
  readonly #checks = new WeakMap<EndpointState, Promise<ProbeResult>>();

  constructor(init: ReachablePickerInit) {
    const o = Object.freeze(withDefaults(REACHABILITY_DEFAULTS, init));
    assertRange('reachability', 'ttlMs', o.ttlMs, 0);
    assertRange('reachability', 'timeoutMs', o.timeoutMs, 1);
    assertRange('reachability', 'maxChecks', o.maxChecks, 1, 100);
    this.#o = o;
    this.#picker = init.picker;
    this.#clock = init.clock;
    this.#probe = init.probe ?? createTcpProbe();
    this.#onUnreachable = init.onUnreachable;
  }

  /** Whether `state` was seen reachable within `ttlMs`. */
  fresh(state: EndpointState): boolean {
    const at = state.reachableAt;
    return at !== undefined && this.#clock.now() - at <= this.#o.ttlMs;
  }

  /**
   * `true` at once when `state` was seen reachable within `ttlMs`; else a check's outcome (shared
   * with concurrent checks of the same endpoint).
   */
  verify(state: EndpointState): true | Promise<ProbeResult> {
    return this.fresh(state) ? true : this.#check(state);
  }

  async pick(key: string | undefined): Promise<ReachablePick> {
    let exclude: Set<EndpointState> | undefined;
    let reason: string | undefined;
    for (let checks = 0; checks < this.#o.maxChecks; checks++) {
      const state = this.#picker.pick(key, exclude);
      if (state === undefined) break;
      const verified = this.verify(state);
      if (verified === true) return { state };
      const result = await verified;
      if (result.ok) return { state };
      reason = `${state.id}: ${result.reason ?? 'unreachable'}`;
      exclude ??= new Set();
      exclude.add(state);
    }
    return { state: undefined, reason };
  }

  #check(state: EndpointState): Promise<ProbeResult> {
    let check = this.#checks.get(state);
    if (check === undefined) {
      check = this.#connect(state).finally(() => this.#checks.delete(state));
      this.#checks.set(state, check);
    }
    return check;
  }

  async #connect(state: EndpointState): Promise<ProbeResult> {
    const controller = new AbortController();
    const timeoutMs = this.#o.timeoutMs;
    let timedOut = false;
    const timer = this.#clock.setTimeout(
      () => {
        timedOut = true;
        controller.abort();
      },
      timeoutMs,
      { unref: true },
    );
    let result: ProbeResult;
    try {
      result = await this.#probe(state.endpoint, controller.signal);
    } catch (error) {
      result = { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      this.#clock.clearTimeout(timer);
    }
    if (timedOut) result = { ok: false, reason: `no TCP connect within ${timeoutMs} ms` };
    if (result.ok) {
      state.markReachable(this.#clock.now());
    } else {
      state.markUnreachable();
      this.#onUnreachable(state, result.reason ?? 'unreachable');
    }
    return result;
  }
}
