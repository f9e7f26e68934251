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

/** Log lines of every container of every pod, timestamped when appended, bounded per container. */
export class PodLogs {
  readonly #lines = new Map<string, LogLine[]>();
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
    for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) lines.push({ at, text: line });
    if (lines.length > this.#maxLines) lines.splice(0, lines.length - this.#maxLines);
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
    const stamp = (at: number): string => `${new Date(at).toISOString().slice(0, 23)}000000Z `;
    return lines.map((l) => `${query.timestamps ? stamp(l.at) : ''}${l.text}\n`).join('');
  }

  /** Drops every container's lines of a pod. */
  drop(podKey: string): void {
    for (const key of this.#lines.keys()) {
      if (key.startsWith(`${podKey}\0`)) this.#lines.delete(key);
    }
  }
}
