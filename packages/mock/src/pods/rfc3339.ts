/** A timestamp as Kubernetes writes it: RFC 3339 in UTC, whole seconds. */
export const rfc3339 = (ms: number): string => `${new Date(ms).toISOString().slice(0, 19)}Z`;
