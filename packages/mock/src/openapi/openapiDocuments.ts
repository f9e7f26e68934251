import { groupVersions, RESOURCE_TYPES, type ResourceType } from '../store/resources.js';
import { COMMON_FIELDS, DEFINITIONS, KIND_FIELDS } from './kindSchemas.js';
import type { Definition, Schema } from './schemaModel.js';

/**
 * The OpenAPI documents kubectl reads, generated from the one description of the kinds in
 * `kindSchemas.ts`: `/openapi/v3` (an index of group/version documents) for `kubectl explain` and
 * for its default `--validate=strict`, which sees the `fieldValidation` parameter and leaves field
 * checking to the server; `/openapi/v2` (one Swagger 2.0 document) for clients that read that.
 */

type Flavour = 'v2' | 'v3';

const pathOf = (gv: string): string => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);

/** `io.k8s.api.apps.v1.Deployment`, as kube-apiserver names its schemas. */
export const schemaName = (rt: ResourceType): string =>
  `io.k8s.api.${rt.group ? rt.group.split('.')[0] : 'core'}.${rt.version}.${rt.kind}`;

const refPrefix = (flavour: Flavour): string =>
  flavour === 'v3' ? '#/components/schemas/' : '#/definitions/';

function toOpenApi(schema: Schema, flavour: Flavour): object {
  const description = schema.description ? { description: schema.description } : {};
  switch (schema.type) {
    case 'array':
      return { type: 'array', items: toOpenApi(schema.items, flavour), ...description };
    case 'map':
      return { type: 'object', additionalProperties: toOpenApi(schema.values, flavour), ...description };
    case 'ref': {
      const target = { $ref: `${refPrefix(flavour)}${schema.ref}` };
      return flavour === 'v3'
        ? { allOf: [target], default: {}, ...description }
        : { ...target, ...description };
    }
    case 'open':
      return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, ...description };
    case 'intOrString':
      return { type: 'string', format: 'int-or-string', 'x-kubernetes-int-or-string': true, ...description };
    default:
      return { type: schema.type, ...(schema.format ? { format: schema.format } : {}), ...description };
  }
}

function definitionToOpenApi(definition: Definition, flavour: Flavour, extra: object = {}): object {
  const properties = Object.fromEntries(
    Object.entries(definition.properties).map(([name, schema]) => [name, toOpenApi(schema, flavour)]),
  );
  return {
    description: definition.description,
    type: 'object',
    ...(definition.required?.length ? { required: definition.required } : {}),
    properties,
    ...extra,
  };
}

/** The described top level of a kind: metadata plus its own fields, or open fields when not described. */
export function kindDefinition(rt: ResourceType): Definition & { described: boolean } {
  const own = KIND_FIELDS[`${rt.apiVersion}/${rt.kind}`];
  return {
    description: own?.description ?? `${rt.kind} (${rt.apiVersion}).`,
    properties: { ...COMMON_FIELDS, ...(own?.properties ?? {}) },
    described: own !== undefined,
  };
}

function schemas(types: readonly ResourceType[], flavour: Flavour): Record<string, object> {
  const out: Record<string, object> = {};
  for (const [name, definition] of Object.entries(DEFINITIONS))
    out[name] = definitionToOpenApi(definition, flavour);
  for (const rt of types) {
    const definition = kindDefinition(rt);
    out[schemaName(rt)] = definitionToOpenApi(definition, flavour, {
      'x-kubernetes-group-version-kind': [{ group: rt.group, version: rt.version, kind: rt.kind }],
      ...(definition.described ? {} : { 'x-kubernetes-preserve-unknown-fields': true }),
    });
  }
  return out;
}

function fieldValidationParameter(flavour: Flavour): object {
  const description =
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict';
  return flavour === 'v3'
    ? { name: 'fieldValidation', in: 'query', description, schema: { type: 'string', uniqueItems: true } }
    : { name: 'fieldValidation', in: 'query', description, type: 'string', uniqueItems: true };
}

function operations(rt: ResourceType, flavour: Flavour): Record<string, object> {
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const schemaRef = { $ref: `${refPrefix(flavour)}${schemaName(rt)}` };
  const op = (action: string, operationId: string): object => ({
    operationId,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: [fieldValidationParameter(flavour)],
    ...(flavour === 'v3'
      ? {
          requestBody: { content: { 'application/json': { schema: schemaRef } } },
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: schemaRef } } } },
        }
      : {
          consumes: ['*/*'],
          produces: ['application/json'],
          responses: { '200': { description: 'OK', schema: schemaRef } },
        }),
  });
  const scope = rt.namespaced ? 'Namespaced' : '';
  const base = `/${pathOf(rt.apiVersion)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}`;
  return {
    [base]: { post: op('post', `create${scope}${rt.kind}`) },
    [`${base}/{name}`]: {
      get: { ...op('get', `read${scope}${rt.kind}`), parameters: [] },
      put: op('put', `replace${scope}${rt.kind}`),
      patch: op('patch', `patch${scope}${rt.kind}`),
    },
  };
}

const served = (): ResourceType[] => RESOURCE_TYPES.filter((rt) => !rt.virtual);

export function openApiRoot(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    paths[pathOf(gv)] = { serverRelativeURL: `/openapi/v3/${pathOf(gv)}` };
  }
  return { paths };
}

/** The OpenAPI v3 document of one group/version (`api/v1`, `apis/apps/v1`), or undefined. */
export function openApiGroup(relativePath: string): object | undefined {
  const types = RESOURCE_TYPES.filter((rt) => pathOf(rt.apiVersion) === relativePath);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  for (const rt of types.filter((t) => !t.virtual)) Object.assign(paths, operations(rt, 'v3'));
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas: schemas(types, 'v3') },
  };
}

/** The Swagger 2.0 document of every kind. */
export function openApiV2(): object {
  const paths: Record<string, object> = {};
  for (const rt of served()) Object.assign(paths, operations(rt, 'v2'));
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    definitions: schemas(served(), 'v2'),
  };
}
