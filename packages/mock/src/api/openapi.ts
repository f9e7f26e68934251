import { groupVersions, RESOURCE_TYPES, type ResourceType } from '../store/resources.js';

/**
 * Just enough OpenAPI v3 for kubectl's default `--validate=strict`: each kind has operations tagged
 * with its group/version/kind that accept the `fieldValidation` query parameter, which tells kubectl
 * the server validates fields itself. Schemas are left open (`x-kubernetes-preserve-unknown-fields`).
 */

const pathOf = (gv: string): string => (gv.includes('/') ? `apis/${gv}` : `api/${gv}`);

export function openApiRoot(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    paths[pathOf(gv)] = { serverRelativeURL: `/openapi/v3/${pathOf(gv)}` };
  }
  return { paths };
}

const FIELD_VALIDATION = {
  name: 'fieldValidation',
  in: 'query',
  description:
    'fieldValidation instructs the server on how to handle objects with unknown or duplicate fields.',
  schema: { type: 'string', uniqueItems: true },
};

const schemaName = (rt: ResourceType): string =>
  `io.k8s.api.${rt.group ? rt.group.split('.')[0] : 'core'}.${rt.version}.${rt.kind}`;

function operations(rt: ResourceType): Record<string, object> {
  const gvk = { group: rt.group, version: rt.version, kind: rt.kind };
  const op = (action: string, params: object[]): object => ({
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    parameters: params,
    requestBody: {
      content: { 'application/json': { schema: { $ref: `#/components/schemas/${schemaName(rt)}` } } },
    },
    responses: { '200': { description: 'OK' } },
  });
  const base = `/${pathOf(rt.apiVersion)}${rt.namespaced ? '/namespaces/{namespace}' : ''}/${rt.plural}`;
  return {
    [base]: { post: op('post', [FIELD_VALIDATION]) },
    [`${base}/{name}`]: {
      put: op('put', [FIELD_VALIDATION]),
      patch: op('patch', [FIELD_VALIDATION]),
    },
  };
}

export function openApiGroup(relativePath: string): object | undefined {
  const types = RESOURCE_TYPES.filter((rt) => pathOf(rt.apiVersion) === relativePath);
  if (types.length === 0) return undefined;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const rt of types) {
    Object.assign(paths, operations(rt));
    schemas[schemaName(rt)] = {
      type: 'object',
      'x-kubernetes-group-version-kind': [{ group: rt.group, version: rt.version, kind: rt.kind }],
      'x-kubernetes-preserve-unknown-fields': true,
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas },
  };
}
