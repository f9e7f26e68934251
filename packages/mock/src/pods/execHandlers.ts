import type { KubeObject } from '../types.js';
import type { PodHandlerRegistration } from './handlerRegistry.js';
import { compileLabelSelector, isLabelSelector } from './podSelector.js';
import { podShell } from './shell/podShell.js';

/** What an exec handler knows about the call. */
export interface ExecContext {
  readonly namespace: string;
  readonly pod: string;
  /** The container asked for (`-c`), or the pod's first container. */
  readonly container: string;
  /** The stored Pod object. */
  readonly object: KubeObject;
  /** What the client sent on stdin (`kubectl exec -i`), when it asked for stdin. */
  readonly stdin: string | undefined;
  /** The cluster CA, as the pod's service account volume (`ca.crt`) holds it. */
  readonly caCertPem?: string | undefined;
  /** Aborted when the client goes away before the command ends. */
  readonly signal?: AbortSignal | undefined;
}

/** What a command printed and how it ended. */
export interface ExecResult {
  /** @default '' */
  stdout?: string;
  /** @default '' */
  stderr?: string;
  /** @default 0 */
  exitCode?: number;
}

/** Answers `kubectl exec POD -- COMMAND...` for a fake pod. */
export type ExecHandler = (command: readonly string[], ctx: ExecContext) => ExecResult | Promise<ExecResult>;

/**
 * The handler of pods that have none: the container's shell (see podShell.ts). `sh -c SCRIPT` runs
 * the script (`;`, `&&`, `||`, pipes, quotes, `$VAR`, `exit N`), and the programs are env,
 * printenv, ls, cat, head, tail, grep, wc, echo, hostname, pwd, whoami, id, sleep, true and false
 * over a small read-only filesystem with the service account volume. An unknown program exits 127:
 * `sh: X: not found` inside a script, `sh: X: command not found` when exec'd directly.
 */
export const defaultExecHandler: ExecHandler = (command, ctx) =>
  podShell({
    pod: ctx.object,
    container: ctx.container,
    caCertPem: ctx.caCertPem,
    signal: ctx.signal,
  }).exec(command, ctx.stdin ?? '');

interface SelectorEntry {
  readonly namespace: string;
  readonly matches: (labels: Readonly<Record<string, string>>) => boolean;
  readonly handler: ExecHandler;
}

/**
 * Exec handlers by pod name or label selector (`app=cart`: the text contains `=`). A named handler
 * wins over selector ones; among selectors the latest registration wins; pods matching none get
 * {@link defaultExecHandler}. A named handler may be registered before its pod exists.
 */
export class ExecHandlers {
  readonly #byName = new Map<string, ExecHandler>();
  readonly #bySelector: SelectorEntry[] = [];

  register(namespace: string, podNameOrSelector: string, handler: ExecHandler): PodHandlerRegistration {
    if (isLabelSelector(podNameOrSelector)) {
      const entry: SelectorEntry = { namespace, matches: compileLabelSelector(podNameOrSelector), handler };
      this.#bySelector.push(entry);
      return {
        remove: () => {
          const index = this.#bySelector.indexOf(entry);
          if (index >= 0) this.#bySelector.splice(index, 1);
        },
      };
    }
    const key = `${namespace}/${podNameOrSelector}`;
    this.#byName.set(key, handler);
    return {
      remove: () => {
        if (this.#byName.get(key) === handler) this.#byName.delete(key);
      },
    };
  }

  resolve(namespace: string, name: string, labels: Readonly<Record<string, string>>): ExecHandler {
    const named = this.#byName.get(`${namespace}/${name}`);
    if (named) return named;
    for (let i = this.#bySelector.length - 1; i >= 0; i--) {
      const entry = this.#bySelector[i];
      if (entry && entry.namespace === namespace && entry.matches(labels)) return entry.handler;
    }
    return defaultExecHandler;
  }
}
