import { InvalidArgumentError } from '../errors.js';
import type { EndpointPort, Service, ServicePort } from './kubeShapes.js';

/** Which port of a Service to use, as endpoint objects name it. */
export interface PortChoice {
  /** The Service port chosen, when one matched. */
  readonly servicePort: ServicePort | undefined;
  /** Name endpoint ports carry for it (`''` for an unnamed port). */
  readonly name: string;
  /** A number that matched no Service port: endpoint ports are matched by this target port instead. */
  readonly targetPort: number | undefined;
}

function listPorts(ports: ServicePort[]): string {
  return ports.map((p) => (p.name ? `${p.name} (${p.port})` : String(p.port))).join(', ') || 'none';
}

const whereOf = (service: Service): string =>
  `Service "${service.metadata?.name}" in namespace "${service.metadata?.namespace}"`;

function noSuchPort(service: Service, port: number, served: readonly number[] = []): InvalidArgumentError {
  const pods = served.length > 0 ? ` (its pods serve ${[...new Set(served)].join(', ')})` : '';
  return new InvalidArgumentError(
    `${whereOf(service)} has no port ${port}; its ports are ${listPorts(service.spec?.ports ?? [])}${pods}. Pass one of them as \`port\`.`,
  );
}

/**
 * Picks the Service port for `wanted`: a name matches a Service port's name; a number matches a
 * Service port's `port`, then its `targetPort`, and otherwise is taken as a target port. Nothing
 * wanted: the first Service port. Throws {@link InvalidArgumentError} for a name the Service lacks.
 */
export function choosePort(service: Service, wanted: string | number | undefined): PortChoice {
  const ports = service.spec?.ports ?? [];
  const where = whereOf(service);
  const numeric =
    typeof wanted === 'number'
      ? wanted
      : wanted !== undefined && /^\d+$/.test(wanted)
        ? Number(wanted)
        : undefined;
  const of = (port: ServicePort): PortChoice => ({
    servicePort: port,
    name: port.name ?? '',
    targetPort: undefined,
  });
  if (wanted === undefined) {
    const first = ports[0];
    if (!first)
      throw new InvalidArgumentError(
        `${where} has no ports; pass the \`port\` option with the pods' port number.`,
      );
    return of(first);
  }
  if (numeric !== undefined) {
    const match = ports.find((p) => p.port === numeric) ?? ports.find((p) => p.targetPort === numeric);
    if (match) return of(match);
    // Only a named target port can resolve to this number on the pods; with none, it cannot exist.
    if (ports.length > 0 && !ports.some((p) => typeof p.targetPort === 'string'))
      throw noSuchPort(service, numeric);
    return { servicePort: undefined, name: '', targetPort: numeric };
  }
  const named = ports.find((p) => p.name === wanted);
  if (!named) {
    throw new InvalidArgumentError(
      `${where} has no port named "${wanted}"; its ports are ${listPorts(ports)}. Pass one of them as \`port\`.`,
    );
  }
  return of(named);
}

/** The port number, among one endpoint object's ports (already target ports), for the choice. */
export function endpointPortFor(
  ports: readonly EndpointPort[] | null | undefined,
  choice: PortChoice,
): number | undefined {
  if (!ports) return undefined;
  if (choice.targetPort !== undefined) return ports.find((p) => p.port === choice.targetPort)?.port;
  return ports.find((p) => (p.name ?? '') === choice.name)?.port;
}

/**
 * The error for a target port number (a number that matched no Service port) that the endpoint
 * objects, which list the ports the pods serve, do not have either; undefined when they have it or
 * list no ports yet.
 */
export function missingTargetPort(
  service: Service,
  choice: PortChoice,
  portLists: readonly (readonly EndpointPort[] | null | undefined)[],
): InvalidArgumentError | undefined {
  if (choice.targetPort === undefined) return undefined;
  const served = portLists.flatMap((ports) =>
    (ports ?? []).flatMap((p) => (p.port === undefined ? [] : [p.port])),
  );
  if (served.length === 0 || served.includes(choice.targetPort)) return undefined;
  return noSuchPort(service, choice.targetPort, served);
}
