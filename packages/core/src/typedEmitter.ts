import { EventEmitter } from 'node:events';
import { noopLogger } from './logger.js';
import type { Logger } from './types.js';

/** Maps each event name to the tuple of its listener's arguments. */
export type EventMap = { [event: string]: unknown[] };

export type Listener<Args extends unknown[]> = (...args: Args) => void;

/**
 * A small typed wrapper over `node:events`. A listener that throws is logged and never breaks the
 * engine that emitted the event, nor the listeners after it.
 */
export class TypedEmitter<Events extends EventMap> {
  readonly #emitter = new EventEmitter();
  readonly #logger: Logger;

  constructor(logger: Logger = noopLogger) {
    this.#logger = logger;
    this.#emitter.setMaxListeners(0);
  }

  on<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.#emitter.on(event, listener as Listener<unknown[]>);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.#emitter.once(event, listener as Listener<unknown[]>);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: Listener<Events[K]>): this {
    this.#emitter.off(event, listener as Listener<unknown[]>);
    return this;
  }

  listenerCount<K extends keyof Events & string>(event: K): number {
    return this.#emitter.listenerCount(event);
  }

  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    // rawListeners keeps `once` wrappers, so calling them also removes them.
    const listeners = this.#emitter.rawListeners(event) as Listener<Events[K]>[];
    for (const listener of listeners) {
      try {
        listener(...args);
      } catch (error) {
        this.#logger.error({ err: error, event }, `a '${event}' listener threw; the error was ignored`);
      }
    }
  }

  protected removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
