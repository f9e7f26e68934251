import { beforeAll, describe, expect, it } from 'vitest';
import { pollUntil, SUITE, useConformanceCluster } from './harness.js';

// The official Python client's streaming reads: a followed pod log, read as it arrives.

describe('python', SUITE, () => {
  const k = useConformanceCluster({
    objects: `
apiVersion: v1
kind: Pod
metadata: { name: talker, namespace: default }
spec: { containers: [{ name: main, image: example/talker }] }
`,
  });

  beforeAll(async () => {
    await pollUntil('the pod to run', () =>
      k.cluster.pods.status().some((p) => p.name === 'talker' && p.phase === 'Running'),
    );
  }, SUITE.timeout);

  it('read_namespaced_pod_log(follow=True) carries new lines', async () => {
    k.cluster.pods.appendLog('talker', 'hello');
    const script = await k.startPython(`
resp = client.CoreV1Api().read_namespaced_pod_log('talker', 'default', follow=True, _preload_content=False)
for chunk in resp.stream(1024):
    sys.stdout.write(chunk.decode('utf-8'))
    sys.stdout.flush()
print('END', flush=True)
`);
    await script.waitForOutput('the first line', (out) => out.includes('hello\n'));
    k.cluster.pods.appendLog('talker', 'again');
    await script.waitForOutput('the appended line', (out) => out.includes('hello\nagain\n'));
    expect(script.stdout()).not.toContain('END');
    k.cluster.delete('pod', 'talker');
    const result = await script.exited;
    expect(result).toMatchObject({ code: 0 });
    expect(result.stdout).toBe('hello\nagain\nEND\n');
  });
});
