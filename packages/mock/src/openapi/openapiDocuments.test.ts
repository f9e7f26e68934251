import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../store/resources.js';
import { openApiGroup, openApiRoot, openApiV2, schemaName } from './openapiDocuments.js';

type Doc = {
  components: { schemas: Record<string, Record<string, unknown>> };
  paths: Record<string, object>;
};

describe('OpenAPI documents', () => {
  it('index every group/version and give every served kind a schema tagged with its GVK', () => {
    const root = openApiRoot() as { paths: Record<string, { serverRelativeURL: string }> };
    for (const rt of RESOURCE_TYPES) {
      const path = rt.group ? `apis/${rt.apiVersion}` : `api/${rt.version}`;
      expect(root.paths[path]?.serverRelativeURL).toBe(`/openapi/v3/${path}`);
      const doc = openApiGroup(path) as Doc;
      expect(doc.components.schemas[schemaName(rt)]?.['x-kubernetes-group-version-kind']).toEqual([
        { group: rt.group, version: rt.version, kind: rt.kind },
      ]);
    }
    expect(openApiGroup('apis/nothing/v1')).toBeUndefined();
  });

  it('describe nested fields through references, in v3 and v2', () => {
    const apps = openApiGroup('apis/apps/v1') as Doc;
    const spec = apps.components.schemas['io.k8s.api.apps.v1.DeploymentSpec'] as {
      properties: Record<string, { type?: string; allOf?: { $ref: string }[] }>;
      required: string[];
    };
    expect(spec.properties.replicas?.type).toBe('integer');
    expect(spec.properties.template?.allOf).toEqual([
      { $ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec' },
    ]);
    expect(spec.required).toEqual(['selector', 'template']);
    const v2 = openApiV2() as {
      definitions: Record<string, { properties?: Record<string, { $ref?: string }> }>;
    };
    expect(v2.definitions['io.k8s.api.apps.v1.Deployment']?.properties?.spec?.$ref).toBe(
      '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
    );
  });

  it('offer the fieldValidation parameter on writes, which tells kubectl the server validates fields', () => {
    const core = openApiGroup('api/v1') as Doc;
    const post = (
      core.paths['/api/v1/namespaces/{namespace}/configmaps'] as { post: { parameters: { name: string }[] } }
    ).post;
    expect(post.parameters.map((p) => p.name)).toEqual(['fieldValidation']);
  });
});
