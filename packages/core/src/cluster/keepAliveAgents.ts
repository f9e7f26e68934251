import https from 'node:https';

/** The TLS settings a KubeConfig puts on request options; requests with equal ones share a pool. */
const TLS_FIELDS = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/**
 * Keep-alive connection pools for the API server. client-node's `applyToHTTPSOptions` makes a new
 * `https.Agent` without keep-alive for every request, so each request would pay a TLS handshake; this
 * swaps it for one pooled agent per distinct TLS setting. Agents of other kinds (proxies) are kept.
 */
export class KeepAliveAgents {
  readonly #agents = new Map<string, https.Agent>();

  /** Replaces a plain per-request `https.Agent` in `options` with the pooled one for its TLS settings. */
  apply(options: https.RequestOptions): void {
    const agent = options.agent;
    if (!(agent instanceof https.Agent) || agent.constructor !== https.Agent) return;
    const tls: Record<string, unknown> = {};
    for (const field of TLS_FIELDS) if (options[field] !== undefined) tls[field] = options[field];
    const key = JSON.stringify(tls);
    let pooled = this.#agents.get(key);
    if (!pooled) {
      pooled = new https.Agent({ ...tls, keepAlive: true, scheduling: 'lifo' });
      this.#agents.set(key, pooled);
    }
    agent.destroy();
    options.agent = pooled;
  }

  /** Closes every pooled connection. */
  destroy(): void {
    for (const agent of this.#agents.values()) agent.destroy();
    this.#agents.clear();
  }
}
