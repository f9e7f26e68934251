import type { Endpoint, EndpointInit } from './types.js';

/** Builds a frozen {@link Endpoint}, deriving `id` and `url` (IPv6 hosts are bracketed). */
export function createEndpoint(init: EndpointInit): Endpoint {
  const hostPart = init.host.includes(':') ? `[${init.host}]` : init.host;
  const id = `${hostPart}:${init.port}`;
  const endpoint: { -readonly [K in keyof Endpoint]: Endpoint[K] } = {
    id,
    host: init.host,
    port: init.port,
    url: `http://${id}`,
  };
  if (init.pod !== undefined) endpoint.pod = init.pod;
  if (init.namespace !== undefined) endpoint.namespace = init.namespace;
  if (init.zone !== undefined) endpoint.zone = init.zone;
  if (init.node !== undefined) endpoint.node = init.node;
  return Object.freeze(endpoint);
}
