export interface LogQuery {
  /** Only the last N lines. */
  tailLines?: number;
  /** Only lines written in the last N seconds. */
  sinceSeconds?: number;
  /** Prefix each line with its RFC 3339 timestamp, as `kubectl logs --timestamps`. */
  timestamps?: boolean;
}

interface LogLine {
  readonly at: number;
  readonly text: string;
}

interface Follower {
  readonly timestamps: boolean;
  readonly onText: (text: string) => void;
  readonly onEnd: () => void;
}

const stamp = (at: number): string => `${new Date(at).toISOString().slice(0, 23)}000000Z `;

/**
 * Log lines of every container of every pod, timestamped when appended, bounded per container.
 * Followers (`logs -f`) receive lines as they are appended, until the pod's logs are dropped.
 */
export class PodLogs {
  readonly #lines = new Map<string, LogLine[]>();
  readonly #followers = new Map<string, Set<Follower>>();
  readonly #now: () => number;
  readonly #maxLines: number;

  constructor(options: { now: () => number; maxLines: number }) {
    this.#now = options.now;
    this.#maxLines = options.maxLines;
  }

  /** Appends text; a text with newlines becomes several lines. */
  append(podKey: string, container: string, text: string): void {
    const key = `${podKey}\0${container}`;
    let lines = this.#lines.get(key);
    if (!lines) {
      lines = [];
      this.#lines.set(key, lines);
    }
    const at = this.#now();
    const added = text
      .replace(/\r?\n$/, '')
      .split(/\r?\n/)
      .map((line) => ({ at, text: line }));
    lines.push(...added);
    if (lines.length > this.#maxLines) lines.splice(0, lines.length - this.#maxLines);
    for (const follower of this.#followers.get(key) ?? []) {
      follower.onText(added.map((l) => `${follower.timestamps ? stamp(l.at) : ''}${l.text}\n`).join(''));
    }
  }

  /**
   * Calls `onText` with each later append to a container's log and `onEnd` once when the pod's
   * logs are dropped; returns the unsubscribe function.
   */
  follow(podKey: string, container: string, follower: Follower): () => void {
    const key = `${podKey}\0${container}`;
    let set = this.#followers.get(key);
    if (!set) {
      set = new Set();
      this.#followers.set(key, set);
    }
    set.add(follower);
    return () => {
      set.delete(follower);
      if (set.size === 0 && this.#followers.get(key) === set) this.#followers.delete(key);
    };
  }

  /** The selected lines, each ending in a newline, as `kubectl logs` prints them. */
  read(podKey: string, container: string, query: LogQuery = {}): string {
    let lines = this.#lines.get(`${podKey}\0${container}`) ?? [];
    if (query.sinceSeconds !== undefined && Number.isFinite(query.sinceSeconds)) {
      const from = this.#now() - query.sinceSeconds * 1000;
      lines = lines.filter((l) => l.at >= from);
    }
    if (query.tailLines !== undefined && Number.isFinite(query.tailLines) && query.tailLines >= 0) {
      lines = query.tailLines === 0 ? [] : lines.slice(-query.tailLines);
    }
    return lines.map((l) => `${query.timestamps ? stamp(l.at) : ''}${l.text}\n`).join('');
  }

  /** Ends the followers of one container (its process exited); its lines stay readable. */
  end(podKey: string, container: string): void {
    const key = `${podKey}\0${container}`;
    const followers = this.#followers.get(key);
    this.#followers.delete(key);
    for (const follower of followers ?? []) follower.onEnd();
  }

  /** Drops every container's lines of a pod. */
  drop(podKey: string): void {
    for (const key of this.#lines.keys()) {
      if (key.startsWith(`${podKey}\0`)) this.#lines.delete(key);
    }
    for (const [key, followers] of [...this.#followers]) {
      if (!key.startsWith(`${podKey}\0`)) continue;
      this.#followers.delete(key);
      for (const follower of followers) follower.onEnd();
    }
  }
}
