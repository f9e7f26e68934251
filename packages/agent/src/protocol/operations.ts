/**
 * The operations an agent answers: an allow-list, each with its parameters. Hub and agent validate
 * parameters with the same code, so the hub answers 400 naming the parameter before asking an agent.
 */

export const OPERATIONS = ['namespaces', 'pods', 'services', 'events', 'logs'] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** Operations whose answer is a stream of chunks instead of one response. */
export const STREAMING_OPERATIONS: ReadonlySet<string> = new Set<OperationName>(['logs']);

export function isOperation(value: unknown): value is OperationName {
  return typeof value === 'string' && (OPERATIONS as readonly string[]).includes(value);
}

/** A parameter is missing or invalid. */
export class ParameterError extends Error {
  override readonly name = 'ParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

export type NamespacesParams = Record<string, never>;
export interface PodsParams {
  namespace?: string;
  /** Only pods the query engine calls broken. */
  broken?: boolean;
  /** Add each broken pod's diagnosis (explain_error). */
  diagnose?: boolean;
}
export interface ServicesParams {
  namespace?: string;
}
export interface EventsParams {
  namespace?: string;
  /** Newest events first, at most this many. */
  limit?: number;
}
export interface LogsParams {
  namespace: string;
  pod: string;
  container?: string;
  tailLines?: number;
}

export interface OperationParams {
  namespaces: NamespacesParams;
  pods: PodsParams;
  services: ServicesParams;
  events: EventsParams;
  logs: LogsParams;
}

const LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

type Raw = Readonly<Record<string, unknown>>;

function optionalText(raw: Raw, name: string, form: RegExp, what: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !form.test(value)) {
    throw new ParameterError(name, `${name}=${JSON.stringify(value)} is not ${what}`);
  }
  return value;
}

function requiredText(raw: Raw, name: string, form: RegExp, what: string): string {
  const value = optionalText(raw, name, form, what);
  if (value === undefined) throw new ParameterError(name, `${name} is required (${what})`);
  return value;
}

function optionalBool(raw: Raw, name: string): boolean | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  if (value === true || value === 'true' || value === '1') return true;
  if (value === false || value === 'false' || value === '0') return false;
  throw new ParameterError(name, `${name}=${JSON.stringify(value)} is not true or false`);
}

function optionalInt(raw: Raw, name: string, min: number, max: number): number | undefined {
  const value = raw[name];
  if (value === undefined || value === '') return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ParameterError(
      name,
      `${name}=${JSON.stringify(value)} is not an integer from ${min} to ${max}`,
    );
  }
  return n;
}

function only(raw: Raw, allowed: readonly string[]): void {
  for (const name of Object.keys(raw)) {
    if (!allowed.includes(name)) {
      throw new ParameterError(
        name,
        `${name} is not a parameter of this operation (it takes ${allowed.join(', ') || 'none'})`,
      );
    }
  }
}

const NAMESPACE = 'a namespace name (DNS label)';

/** Checks and normalizes the parameters of `op`; throws {@link ParameterError} naming the first bad one. */
export function validateParams<O extends OperationName>(op: O, raw: Raw): OperationParams[O] {
  switch (op) {
    case 'namespaces':
      only(raw, []);
      return {} as OperationParams[O];
    case 'pods': {
      only(raw, ['namespace', 'broken', 'diagnose']);
      const params: PodsParams = {};
      const namespace = optionalText(raw, 'namespace', LABEL, NAMESPACE);
      const broken = optionalBool(raw, 'broken');
      const diagnose = optionalBool(raw, 'diagnose');
      if (namespace !== undefined) params.namespace = namespace;
      if (broken !== undefined) params.broken = broken;
      if (diagnose !== undefined) params.diagnose = diagnose;
      return params as OperationParams[O];
    }
    case 'services': {
      only(raw, ['namespace']);
      const namespace = optionalText(raw, 'namespace', LABEL, NAMESPACE);
      return (namespace === undefined ? {} : { namespace }) as OperationParams[O];
    }
    case 'events': {
      only(raw, ['namespace', 'limit']);
      const params: EventsParams = {};
      const namespace = optionalText(raw, 'namespace', LABEL, NAMESPACE);
      const limit = optionalInt(raw, 'limit', 1, 1000);
      if (namespace !== undefined) params.namespace = namespace;
      if (limit !== undefined) params.limit = limit;
      return params as OperationParams[O];
    }
    case 'logs': {
      only(raw, ['namespace', 'pod', 'container', 'tailLines']);
      const params: LogsParams = {
        namespace: requiredText(raw, 'namespace', LABEL, NAMESPACE),
        pod: requiredText(raw, 'pod', SUBDOMAIN, 'a pod name'),
      };
      const container = optionalText(raw, 'container', LABEL, 'a container name');
      const tailLines = optionalInt(raw, 'tailLines', 1, 10_000_000);
      if (container !== undefined) params.container = container;
      if (tailLines !== undefined) params.tailLines = tailLines;
      return params as OperationParams[O];
    }
    default:
      throw new ParameterError('op', `unknown operation ${JSON.stringify(op)}`);
  }
}
