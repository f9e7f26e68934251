import type { Logger } from '@kubesmart/core';

/** One authentication or authorization decision, as written to the audit log: never a secret. */
export interface AuditRecord {
  readonly decision: 'allow' | 'deny';
  /** `ok`, or why it was refused (`missing`, `unknown`, `revoked`, `scope:agents`, `rate-limited`, ...). */
  readonly reason: string;
  /** The key id or user name (public parts only). */
  readonly principal?: string | undefined;
  /** Client address. */
  readonly source: string;
  /** What was asked (`GET /api/v3.0/cluster/namespaces`, `agent hello`). */
  readonly action: string;
  readonly target?: Readonly<Record<string, string | undefined>> | undefined;
}

/** Writes one audit line per decision (`audit: true` marks them for log routing). */
export function audit(logger: Logger, record: AuditRecord): void {
  const line = { audit: true, ...record };
  if (record.decision === 'allow') logger.info(line, 'access allowed');
  else logger.warn(line, 'access denied');
}
