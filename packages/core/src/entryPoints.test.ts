import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as blocks from './buildingBlocks.js';
import * as compat from './compat/index.js';
import * as deprecated from './deprecatedExports.js';
import * as main from './index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('entry points', () => {
  it('the main entry carries as many values as the README says, beside the deprecated ones', () => {
    const stated =
      /\| `@kubesmart\/core` \|[^|]*\| \d+ \((\d+) values, \d+ types\), plus (\d+) deprecated/.exec(readme);
    expect(stated).not.toBeNull();
    const deprecatedValues = Object.keys(deprecated);
    const current = Object.keys(main).filter((name) => !deprecatedValues.includes(name));
    expect(current.length).toBe(Number(stated?.[1]));
    // Of the 81 deprecated names, 42 are values (the rest are types, gone at run time).
    expect(deprecatedValues).toHaveLength(42);
  });

  it('every deprecated name on the main entry is the very object its new home exports', () => {
    const renamed: Record<string, string> = {
      ConfigMap: 'KubeConfigMap',
      Secret: 'KubeSecret',
      Namespace: 'KubeNamespace',
      Node: 'KubeNode',
      Pod: 'KubePod',
      EndpointSlice: 'KubeEndpointSlice',
      Service: 'KubeService',
      Deployment: 'KubeDeployment',
      ReplicaSet: 'KubeReplicaSet',
    };
    for (const [name, value] of Object.entries(deprecated)) {
      const home: Record<string, unknown> = name in renamed ? main : name in compat ? compat : blocks;
      expect(home[renamed[name] ?? name], name).toBe(value);
      expect((main as Record<string, unknown>)[name], name).toBe(value);
    }
  });

  it('building blocks and the compat facade are on the main entry only as deprecated names', () => {
    const deprecatedValues = new Set(Object.keys(deprecated));
    for (const name of [...Object.keys(blocks), ...Object.keys(compat)]) {
      expect(name in main && !deprecatedValues.has(name), name).toBe(false);
    }
  });
});
