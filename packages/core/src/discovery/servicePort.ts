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

/**
 * Picks the Service port for `wanted`: a name matches a Service port's name; a number matches a
 * Service port's `port`, then its `targetPort`, and otherwise is taken as a target port. Nothing
 * wanted: the first Service port. Throws {@link InvalidArgumentError} for a name the Service lacks.
 */
export function choosePort(service: Service, wanted: string | number | undefined): PortChoice {
  const ports = service.spec?.ports ?? [];
  const where = `Service "${service.metadata?.name}" in namespace "${service.metadata?.namespace}"`;
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
    return match ? of(match) : { servicePort: undefined, name: '', targetPort: numeric };
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
