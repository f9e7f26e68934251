import { compileLabelSelector } from './podSelector.js';
import type { PodHandler } from './podServers.js';

export interface PodHandlerRegistration {
  /** Removes the handler; affected pods fall back to an earlier registration or the default. */
  remove(): void;
}

interface SelectorEntry {
  readonly namespace: string;
  readonly matches: (labels: Readonly<Record<string, string>>) => boolean;
  readonly handler: PodHandler;
}

const keyOf = (namespace: string, name: string): string => `${namespace}/${name}`;

/**
 * Custom pod handlers by pod name and by label selector. A named handler wins over selector ones;
 * among selectors the latest registration wins. `changed` runs after every change so the fleet can
 * hand the new handlers to running pods.
 */
export class HandlerRegistry {
  readonly #byName = new Map<string, PodHandler>();
  readonly #bySelector: SelectorEntry[] = [];
  readonly #changed: () => void;

  constructor(changed: () => void) {
    this.#changed = changed;
  }

  byName(namespace: string, name: string, handler: PodHandler): PodHandlerRegistration {
    const key = keyOf(namespace, name);
    this.#byName.set(key, handler);
    this.#changed();
    return {
      remove: () => {
        if (this.#byName.get(key) !== handler) return;
        this.#byName.delete(key);
        this.#changed();
      },
    };
  }

  bySelector(namespace: string, selector: string, handler: PodHandler): PodHandlerRegistration {
    const entry: SelectorEntry = { namespace, matches: compileLabelSelector(selector), handler };
    this.#bySelector.push(entry);
    this.#changed();
    return {
      remove: () => {
        const index = this.#bySelector.indexOf(entry);
        if (index < 0) return;
        this.#bySelector.splice(index, 1);
        this.#changed();
      },
    };
  }

  resolve(namespace: string, name: string, labels: Readonly<Record<string, string>>): PodHandler | undefined {
    const named = this.#byName.get(keyOf(namespace, name));
    if (named) return named;
    for (let i = this.#bySelector.length - 1; i >= 0; i--) {
      const entry = this.#bySelector[i];
      if (entry && entry.namespace === namespace && entry.matches(labels)) return entry.handler;
    }
    return undefined;
  }

  /** Drops the named handler of a deleted pod, so a new pod of that name starts with the default. */
  forgetPod(namespace: string, name: string): void {
    this.#byName.delete(keyOf(namespace, name));
  }
}
