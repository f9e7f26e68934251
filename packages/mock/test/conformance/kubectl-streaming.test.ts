import { beforeAll, describe, expect, it } from 'vitest';
import { type ConformanceCluster, pollUntil, SUITE, useConformanceCluster } from './harness.js';

// kubectl's streaming operations (port-forward, exec, attach, logs -f, proxy) against the emulator,
// with the real kubectl over real sockets. kubectl's dispatcher picks the kubectl whose minor version
// matches the server's: 1.33 (the default) speaks WebSocket first, 1.29 only SPDY.

const WEB = `
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: default, labels: { app: web } }
spec:
  containers:
    - name: main
      image: example/web
      ports: [{ name: http, containerPort: 8080 }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: 8080 }]
`;

/** Pods without ports whose logs the tests write with `cluster.pods.appendLog`. */
const LOGGERS = ['logger-a', 'logger-b', 'logger-c', 'many-1', 'many-2']
  .map(
    (name) => `
---
apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: default, labels: { role: ${name.startsWith('many') ? 'many' : 'logger'} } }
spec: { containers: [{ name: main, image: example/logger }] }
`,
  )
  .join('');

/** A Service whose selector matches no pod. */
const LONELY = `
---
apiVersion: v1
kind: Service
metadata: { name: lonely, namespace: default }
spec: { selector: { app: nobody }, ports: [{ port: 80, targetPort: 8080 }] }
`;

/** Waits until pod `name` is Running and Ready, as kubectl sees it. */
async function runningPod(k: ConformanceCluster, name: string): Promise<void> {
  await pollUntil(`pod ${name} to be ready`, async () => {
    const out = await k.kubectl([
      'get',
      'pod',
      name,
      '-o',
      'jsonpath={.status.phase}/{.status.conditions[?(@.type=="Ready")].status}',
    ]);
    return out.stdout === 'Running/True';
  });
}

/** Starts `kubectl port-forward TARGET :PORT` and resolves with the local port it listens on. */
async function portForward(k: ConformanceCluster, target: string, remotePort: number) {
  const process = k.startKubectl(['port-forward', target, `:${remotePort}`]);
  const pattern = new RegExp(`Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ${remotePort}`);
  const match = await process.waitForOutput('the local port', (stdout) => pattern.exec(stdout));
  return { process, localPort: Number(match[1]) };
}

async function getJson(url: string): Promise<Record<string, unknown>> {
  const response = await fetch(url, { headers: { connection: 'close' } });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

describe('kubectl', SUITE, () => {
  const k = useConformanceCluster({ objects: WEB + LOGGERS + LONELY });
  /** kubectl 1.29: port-forward, exec and attach over SPDY only. */
  const old = useConformanceCluster({
    objects: WEB,
    version: { major: '1', minor: '29', gitVersion: 'v1.29.0' },
  });

  beforeAll(async () => {
    await Promise.all([runningPod(k, 'web'), runningPod(old, 'web'), runningPod(k, 'logger-c')]);
  }, SUITE.timeout);

  it('port-forward pod/NAME', async () => {
    const { process, localPort } = await portForward(k, 'pod/web', 8080);
    const first = await getJson(`http://127.0.0.1:${localPort}/hello`);
    const second = await getJson(`http://127.0.0.1:${localPort}/again`);
    expect(first).toMatchObject({ pod: 'web', port: 8080, path: '/hello' });
    expect(second).toMatchObject({ pod: 'web', port: 8080, path: '/again' });
    await process.stop();
  });

  it('port-forward svc/NAME', async () => {
    const { process, localPort } = await portForward(k, 'svc/web', 80);
    expect(await getJson(`http://127.0.0.1:${localPort}/via-service`)).toMatchObject({
      pod: 'web',
      port: 8080,
      path: '/via-service',
    });
    await process.stop();
  });

  it('port-forward over SPDY (kubectl 1.29)', async () => {
    const { process, localPort } = await portForward(old, 'pod/web', 8080);
    expect(await getJson(`http://127.0.0.1:${localPort}/spdy`)).toMatchObject({ pod: 'web', path: '/spdy' });
    await process.stop();
  });

  it('port-forward to a port nothing listens on reports the error', async () => {
    const { process, localPort } = await portForward(k, 'pod/web', 9999);
    await expect(fetch(`http://127.0.0.1:${localPort}/`)).rejects.toThrow();
    const result = await process.exited;
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('error forwarding port 9999 to pod web_default');
    expect(result.stderr).toContain('ECONNREFUSED');
  });

  it('port-forward without an upgrade gets 400 Upgrade request required', async () => {
    const result = await k.kubectl(['get', '--raw', '/api/v1/namespaces/default/pods/web/portforward']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('Upgrade request required');
  });

  it("exec sh -c 'echo one; echo two; exit 3'", async () => {
    const result = await k.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo one; echo two; exit 3']);
    expect(result.stdout).toBe('one\ntwo\n');
    expect(result.code).toBe(3);
  });

  it('exec -i carries stdin to the process', async () => {
    const result = await k.kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'x\ny\n' });
    expect(result).toMatchObject({ code: 0, stdout: 'x\ny\n' });
  });

  it('exec env, printenv and hostname', async () => {
    const env = await k.kubectlOk('exec', 'web', '--', 'env');
    expect(env).toContain('HOSTNAME=web\n');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=');
    expect(await k.kubectlOk('exec', 'web', '--', 'printenv', 'HOME')).toBe('/root\n');
    expect(await k.kubectlOk('exec', 'web', '--', 'hostname')).toBe('web\n');
  });

  it('exec ls and cat of the service account files', async () => {
    expect((await k.kubectlOk('exec', 'web', '--', 'ls', '/')).split('\n')).toEqual(
      expect.arrayContaining(['bin', 'etc', 'var']),
    );
    const dir = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect(await k.kubectlOk('exec', 'web', '--', 'ls', dir)).toBe('ca.crt\nnamespace\ntoken\n');
    expect(await k.kubectlOk('exec', 'web', '--', 'cat', `${dir}/namespace`)).toBe('default');
    expect(await k.kubectlOk('exec', 'web', '--', 'cat', `${dir}/ca.crt`)).toBe(k.cluster.caCertPem);
  });

  it('exec of an unknown command exits 127 with sh: X: not found', async () => {
    const result = await k.kubectl(['exec', 'web', '--', 'sh', '-c', 'frobnicate --now']);
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('sh: frobnicate: not found');
  });

  it('logs -f carries new lines', async () => {
    k.cluster.pods.appendLog('logger-a', 'first');
    const follow = k.startKubectl(['logs', '-f', 'logger-a']);
    await follow.waitForOutput('the first line', (out) => out === 'first\n');
    k.cluster.pods.appendLog('logger-a', 'second\nthird');
    await follow.waitForOutput('the appended lines', (out) => out === 'first\nsecond\nthird\n');
    expect(follow.child.exitCode).toBeNull();
    await follow.stop();
  });

  it('logs -f --tail=N starts from the last N lines', async () => {
    k.cluster.pods.appendLog('logger-b', 'old 1\nold 2\nold 3');
    const follow = k.startKubectl(['logs', '-f', '--tail=1', 'logger-b']);
    await follow.waitForOutput('the last line', (out) => out === 'old 3\n');
    k.cluster.pods.appendLog('logger-b', 'new');
    await follow.waitForOutput('the new line', (out) => out === 'old 3\nnew\n');
    await follow.stop();
  });

  it('logs -f -l selector follows every matching pod', async () => {
    const follow = k.startKubectl(['logs', '-f', '-l', 'role=many', '--prefix']);
    await pollUntil('both follow streams to open', () => {
      // kubectl opens one stream per pod, each at its own time: append until both lines show.
      k.cluster.pods.appendLog('many-1', 'from one');
      k.cluster.pods.appendLog('many-2', 'from two');
      const out = follow.stdout();
      return out.includes('[pod/many-1/main] from one') && out.includes('[pod/many-2/main] from two');
    });
    await follow.stop();
  });

  it('logs -f ends when the pod goes away', async () => {
    k.cluster.pods.appendLog('logger-c', 'last words');
    const follow = k.startKubectl(['logs', '-f', 'logger-c']);
    await follow.waitForOutput('the line', (out) => out.includes('last words'));
    await k.kubectlOk('delete', 'pod', 'logger-c', '--wait=false');
    const result = await follow.exited;
    expect(result).toMatchObject({ code: 0, stdout: 'last words\n' });
  });

  it('get --raw services/NAME:PORT/proxy/PATH reaches a ready pod', async () => {
    const byName = JSON.parse(
      await k.kubectlOk('get', '--raw', '/api/v1/namespaces/default/services/web:http/proxy/a?x=1'),
    );
    expect(byName).toMatchObject({ pod: 'web', port: 8080, method: 'GET', path: '/a?x=1' });
    const byNumber = JSON.parse(
      await k.kubectlOk('get', '--raw', '/api/v1/namespaces/default/services/web:80/proxy/'),
    );
    expect(byNumber).toMatchObject({ pod: 'web', path: '/' });
  });

  it('get --raw pods/NAME[:PORT]/proxy/PATH reaches the pod', async () => {
    const withPort = JSON.parse(
      await k.kubectlOk('get', '--raw', '/api/v1/namespaces/default/pods/web:8080/proxy/p'),
    );
    expect(withPort).toMatchObject({ pod: 'web', port: 8080, path: '/p' });
    const firstPort = JSON.parse(
      await k.kubectlOk('get', '--raw', '/api/v1/namespaces/default/pods/web/proxy/q'),
    );
    expect(firstPort).toMatchObject({ pod: 'web', port: 8080, path: '/q' });
  });

  it('proxy, then GET and POST through it to a service and a pod', async () => {
    const proxy = k.startKubectl(['proxy', '--port=0']);
    const match = await proxy.waitForOutput('the proxy port', (out) =>
      /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out),
    );
    const base = `http://127.0.0.1:${match[1]}/api/v1/namespaces/default`;
    expect(await getJson(`${base}/services/web:http/proxy/through`)).toMatchObject({
      pod: 'web',
      path: '/through',
    });
    const posted = await fetch(`${base}/pods/web:8080/proxy/submit`, {
      method: 'POST',
      body: 'payload',
      headers: { 'content-type': 'text/plain', connection: 'close' },
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ pod: 'web', method: 'POST', path: '/submit' });
    await proxy.stop();
  });

  it('proxy to a service without endpoints answers 503', async () => {
    const result = await k.kubectl(['get', '--raw', '/api/v1/namespaces/default/services/lonely/proxy/']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('(ServiceUnavailable): no endpoints available for service "lonely"');
  });

  it("run --rm -i --restart=Never -- sh -c 'echo hi'", async () => {
    const result = await k.kubectl(
      ['run', 'hello', '--rm', '-i', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo hi'],
      { input: '' },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('hi\n');
    expect(result.stderr).not.toContain("couldn't attach");
    await pollUntil('the pod to be deleted', () => k.cluster.get('pod', 'hello') === undefined);
  });

  it('run -i passes stdin to the container and exits with its code', async () => {
    const cat = await k.kubectl(
      ['run', 'catter', '--rm', '-i', '--image=busybox', '--restart=Never', '--', 'cat'],
      {
        input: 'from stdin\n',
      },
    );
    expect(cat.code, cat.stderr).toBe(0);
    expect(cat.stdout).toContain('from stdin\n');
    expect(cat.stderr).not.toContain("couldn't attach");
    const failing = await k.kubectl(
      [
        'run',
        'failing',
        '--rm',
        '-i',
        '--image=busybox',
        '--restart=Never',
        '--',
        'sh',
        '-c',
        'echo bye; exit 3',
      ],
      { input: '' },
    );
    expect(failing.stdout).toContain('bye\n');
    expect(failing.code).toBe(3);
  });

  it('attach -i to a running container', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'waiter', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          {
            name: 'main',
            image: 'busybox',
            command: ['sh', '-c', 'cat; echo done'],
            stdin: true,
            stdinOnce: true,
          },
        ],
      },
    });
    await runningPod(k, 'waiter');
    const result = await k.kubectl(['attach', '-i', 'waiter'], { input: 'line one\n' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('line one\ndone\n');
    await pollUntil('the pod to succeed', () => {
      const pod = k.cluster.get('pod', 'waiter');
      return (pod?.status as { phase?: string } | undefined)?.phase === 'Succeeded';
    });
  });

  it('attach streams what a server container logs', async () => {
    const attach = k.startKubectl(['attach', 'web']);
    await pollUntil('the attached line', () => {
      k.cluster.pods.appendLog('web', 'served a request');
      return attach.stdout().includes('served a request\n');
    });
    await attach.stop();
  });

  it('exec and exec -i over SPDY (kubectl 1.29)', async () => {
    const script = await old.kubectl(['exec', 'web', '--', 'sh', '-c', 'echo one; echo two >&2; exit 3']);
    expect(script).toMatchObject({ code: 3, stdout: 'one\n' });
    expect(script.stderr).toContain('two\n');
    const cat = await old.kubectl(['exec', '-i', 'web', '--', 'cat'], { input: 'over spdy\n' });
    expect(cat).toMatchObject({ code: 0, stdout: 'over spdy\n' });
  });

  it('run --rm -i over SPDY (kubectl 1.29)', async () => {
    const result = await old.kubectl(
      [
        'run',
        'old-hello',
        '--rm',
        '-i',
        '--image=busybox',
        '--restart=Never',
        '--',
        'sh',
        '-c',
        'cat; echo hi',
      ],
      { input: 'piped\n' },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('piped\nhi\n');
    expect(result.stderr).not.toContain("couldn't attach");
    await pollUntil('the pod to be deleted', () => old.cluster.get('pod', 'old-hello') === undefined);
  });

  it('logs -f ends when the container exits', async () => {
    await k.cluster.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'once', namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [
          { name: 'main', image: 'busybox', command: ['sh', '-c', 'cat; echo finished'], stdin: true },
        ],
      },
    });
    await runningPod(k, 'once');
    const follow = k.startKubectl(['logs', '-f', 'once']);
    const attach = await k.kubectl(['attach', '-i', 'once'], { input: 'input line\n' });
    expect(attach.code, attach.stderr).toBe(0);
    const result = await follow.exited;
    expect(result).toMatchObject({ code: 0, stdout: 'input line\nfinished\n' });
  });
});
