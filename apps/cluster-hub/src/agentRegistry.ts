import { CloseCode } from '@kubesmart/agent/protocol';
import type { AgentSession } from './agentSession.js';

export type RegistryEvents = {
  connected: (session: AgentSession) => void;
  disconnected: (session: AgentSession, code: number, reason: string) => void;
};

/**
 * The agents connected to this replica, by id. A newer session of an agent replaces the older one
 * (closed with REPLACED), so a reconnecting agent never leaves a stale session behind.
 */
export class AgentRegistry {
  readonly #sessions = new Map<string, AgentSession>();
  readonly #listeners: { [K in keyof RegistryEvents]: RegistryEvents[K][] } = {
    connected: [],
    disconnected: [],
  };

  on<K extends keyof RegistryEvents>(event: K, listener: RegistryEvents[K]): void {
    this.#listeners[event].push(listener);
  }

  add(session: AgentSession): void {
    const old = this.#sessions.get(session.agentId);
    this.#sessions.set(session.agentId, session);
    if (old && old !== session) old.close(CloseCode.REPLACED, 'replaced by a newer session');
    for (const listener of this.#listeners.connected) listener(session);
  }

  /** Called by a session when it ends. */
  remove(session: AgentSession, code: number, reason: string): void {
    if (this.#sessions.get(session.agentId) === session) this.#sessions.delete(session.agentId);
    for (const listener of this.#listeners.disconnected) listener(session, code, reason);
  }

  get(agentId: string): AgentSession | undefined {
    return this.#sessions.get(agentId);
  }

  all(): AgentSession[] {
    return [...this.#sessions.values()];
  }

  get size(): number {
    return this.#sessions.size;
  }

  /** Closes every session (the hub is stopping: agents reconnect to another replica). */
  closeAll(code: number = CloseCode.GOING_AWAY, reason = 'hub shutting down'): void {
    for (const session of [...this.#sessions.values()]) session.close(code, reason);
  }
}
