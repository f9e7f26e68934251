import { KubeApiError } from '../kubeApiError.js';

/** What kube-apiserver encodes answers and decodes bodies in. */
const SERVED = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];
const ACCEPTED_RANGES = new Set(['*/*', 'application/*', ...SERVED]);

const mediaTypes = (header: string): string[] =>
  header
    .split(',')
    .map((range) => range.split(';')[0]?.trim().toLowerCase() ?? '')
    .filter(Boolean);

/** 406 NotAcceptable when an `Accept` header names none of the media types served. */
export function assertAcceptable(accept: string | undefined): void {
  if (!accept) return;
  const asked = mediaTypes(accept);
  if (asked.length === 0 || asked.some((type) => ACCEPTED_RANGES.has(type))) return;
  throw new KubeApiError(
    'NotAcceptable',
    `only the following media types are accepted: ${SERVED.join(', ')}`,
  );
}

/** 415 UnsupportedMediaType for a request body whose Content-Type is none the server decodes. */
export function assertBodyMediaType(contentType: string | undefined): void {
  const type = mediaTypes(contentType ?? '')[0];
  if (type === undefined || SERVED.includes(type)) return;
  throw new KubeApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${SERVED.join(', ')}`,
  );
}
