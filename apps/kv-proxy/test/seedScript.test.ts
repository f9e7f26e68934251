import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type RunningProxy, startProxy } from './proxyHarness.js';

const run = promisify(execFile);

// The seed's test.sh, byte for byte; only env.sh (its configuration) points at this proxy.
const TEST_SH = `source env.sh

curl "\${BASE_URL}"

curl -X POST -H "Content-Type: application/json" \\
    -d '{"key":"value", "key2":"value2" }' "$BASE_URL"

curl "$BASE_URL"
`;

let cluster: MockCluster;
let running: RunningProxy;
let dir: string;

beforeAll(async () => {
  cluster = await createMockCluster();
  // test.sh sends no credentials: this is the local-development mode the README warns about.
  running = await startProxy(cluster, { AUTH_MODE: 'none' });
  dir = await mkdtemp(join(tmpdir(), 'k8skv-'));
  const { hostname, port } = new URL(running.url);
  await writeFile(
    join(dir, 'env.sh'),
    `export SERVICE_HOST=${hostname}\nexport SERVICE_PORT=${port}\nexport BASE_URL=http://\${SERVICE_HOST}:\${SERVICE_PORT}/kv/default/somekey\n`,
  );
  await writeFile(join(dir, 'test.sh'), TEST_SH);
});
afterAll(async () => {
  await running?.close();
  await cluster?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the seed's test.sh against the proxy", () => {
  it('runs unchanged: GET, POST two keys, GET', async () => {
    const { stdout } = await run('bash', ['test.sh'], { cwd: dir, timeout: 30_000 });
    expect(stdout).toBe('{}{"key":"value","key2":"value2"}{"key":"value","key2":"value2"}');
    expect(cluster.get('configmap', 'somekey')?.data).toEqual({ key: 'value', key2: 'value2' });
  });

  it("fixes the seed's bug: GET of a missing ConfigMap answers {} and creates nothing", async () => {
    expect((await call(`${running.url}/kv/default/never-written`, { auth: false })).text).toBe('{}');
    expect(cluster.get('configmap', 'never-written')).toBeUndefined();
  });

  it('deletes a key as the seed did (?key=), 404 with success:false when absent', async () => {
    const url = `${running.url}/kv/default/somekey`;
    expect((await call(`${url}?key=key2`, { method: 'DELETE', auth: false })).json()).toEqual({
      success: true,
    });
    const again = await call(`${url}?key=key2`, { method: 'DELETE', auth: false });
    expect([again.status, again.json()]).toEqual([404, { success: false }]);
    expect((await call(url, { method: 'DELETE', auth: false })).status).toBe(400);
    expect(cluster.get('configmap', 'somekey')?.data).toEqual({ key: 'value' });
  });
});
