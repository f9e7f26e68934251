import { isIP } from 'node:net';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const HOST_LABEL = /^[A-Za-z0-9]([-A-Za-z0-9]*[A-Za-z0-9])?$/;

/** A DNS-1123 label: what Kubernetes accepts as a namespace or Service name. */
export const isDnsLabel = (name: string): boolean => name.length <= 63 && DNS_LABEL.test(name);

/** Whether `name` can be a Kubernetes namespace (a DNS-1123 label). */
export const isNamespace = isDnsLabel;

/** An address to listen on: an IPv4 or IPv6 address, or a host name made of DNS labels. */
export function isHost(host: string): boolean {
  if (isIP(host) !== 0) return true;
  if (host.length > 253) return false;
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).split('.');
  return labels.every((label) => label.length <= 63 && HOST_LABEL.test(label));
}
