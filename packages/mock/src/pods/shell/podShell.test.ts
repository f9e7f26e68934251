import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../types.js';
import { podShell } from './podShell.js';
import { parseScript, ShellSyntaxError, tokenize } from './shellSyntax.js';

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', namespace: 'shop' },
  spec: {
    serviceAccountName: 'shop-sa',
    containers: [
      {
        name: 'main',
        env: [
          { name: 'MODE', value: 'fast' },
          { name: 'GREETING', value: 'hello   world' },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        ],
      },
      { name: 'side', workingDir: '/tmp', securityContext: { runAsUser: 1000 } },
    ],
  },
  status: { podIP: '127.0.0.9' },
};

const sh = (script: string, stdin = '') =>
  podShell({ pod: POD, container: 'main', caCertPem: 'CA PEM' }).exec(['sh', '-c', script], stdin);

describe('the fake pods shell', () => {
  it('runs a list of commands and exits with the status of exit', async () => {
    expect(await sh('echo one; echo two; exit 3')).toEqual({ stdout: 'one\ntwo\n', stderr: '', exitCode: 3 });
    expect(await sh('echo before; exit 0; echo after')).toMatchObject({ stdout: 'before\n', exitCode: 0 });
  });

  it('answers an unknown command like sh: not found, 127', async () => {
    expect(await sh('rake db:migrate')).toEqual({
      stdout: '',
      stderr: 'sh: rake: not found\n',
      exitCode: 127,
    });
    expect(await sh('nope || echo fallback')).toMatchObject({ stdout: 'fallback\n', exitCode: 0 });
  });

  it('chains with && and ||, and $? is the last status', async () => {
    expect((await sh('false && echo no; echo $?')).stdout).toBe('1\n');
    expect((await sh('true && echo yes || echo no')).stdout).toBe('yes\n');
    expect((await sh('false || false')).exitCode).toBe(1);
  });

  it('expands variables, keeps quotes and splits unquoted values', async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script, not a template
    expect((await sh('echo $MODE "${MODE}" \'$MODE\'')).stdout).toBe('fast fast $MODE\n');
    expect((await sh('echo $GREETING; echo "$GREETING"')).stdout).toBe('hello world\nhello   world\n');
    expect((await sh('X=1; echo "x=$X" $UNSET end')).stdout).toBe('x=1 end\n');
    expect((await sh('echo $POD_NAME')).stdout).toBe('web-0\n');
  });

  it('pipes stdout into the next command and passes stdin to the first', async () => {
    expect((await sh('env | grep MODE')).stdout).toBe('MODE=fast\n');
    expect((await sh('cat', 'line 1\nline 2\n')).stdout).toBe('line 1\nline 2\n');
    expect((await sh('cat | wc -l', 'a\nb\nc\n')).stdout).toBe('3\n');
  });

  it('redirects between stdout and stderr and to /dev/null; other files are read-only', async () => {
    expect(await sh('echo oops >&2')).toMatchObject({ stdout: '', stderr: 'oops\n' });
    expect(await sh('cat /missing 2>&1')).toMatchObject({
      stdout: "cat: can't open '/missing': No such file or directory\n",
      stderr: '',
    });
    expect(await sh('cat /missing 2>/dev/null')).toEqual({ stdout: '', stderr: '', exitCode: 1 });
    expect(await sh('echo x > /tmp/file')).toMatchObject({
      stderr: "sh: can't create /tmp/file: Read-only file system\n",
      exitCode: 1,
    });
  });

  it('has env, printenv and the container environment', async () => {
    const env = (await sh('env')).stdout;
    expect(env).toContain('HOSTNAME=web-0\n');
    expect(env).toContain('MODE=fast\n');
    expect(env).toContain('KUBERNETES_SERVICE_HOST=10.96.0.1\n');
    expect(await sh('printenv MODE')).toMatchObject({ stdout: 'fast\n', exitCode: 0 });
    expect((await sh('printenv NOPE')).exitCode).toBe(1);
  });

  it('lists and reads the filesystem with the service account volume', async () => {
    expect((await sh('ls /')).stdout.split('\n')).toEqual(
      expect.arrayContaining(['bin', 'etc', 'proc', 'tmp', 'var']),
    );
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    expect((await sh(`ls ${sa}`)).stdout).toBe('ca.crt\nnamespace\ntoken\n');
    expect((await sh(`cat ${sa}/namespace`)).stdout).toBe('shop');
    expect((await sh(`cat ${sa}/ca.crt`)).stdout).toBe('CA PEM');
    expect((await sh(`cat ${sa}/token`)).stdout).toContain('shop-sa');
    expect((await sh('cat /etc/hostname')).stdout).toBe('web-0\n');
    expect(await sh('ls /nope')).toMatchObject({
      stderr: 'ls: /nope: No such file or directory\n',
      exitCode: 1,
    });
    expect((await sh('cd /etc && pwd && ls -l hostname')).stdout).toMatch(
      /^\/etc\n-rw-r--r-- .* hostname\n$/,
    );
  });

  it('knows who and where it is', async () => {
    expect((await sh('hostname; whoami; id; pwd')).stdout).toBe(
      'web-0\nroot\nuid=0(root) gid=0(root) groups=0(root)\n/\n',
    );
    const side = await podShell({ pod: POD, container: 'side' }).exec(['sh', '-c', 'pwd; id -u; whoami'], '');
    expect(side.stdout).toBe('/tmp\n1000\n');
    expect(side).toMatchObject({ stderr: 'whoami: unknown uid 1000\n', exitCode: 1 });
  });

  it('runs programs exec d directly, without a shell', async () => {
    const shell = podShell({ pod: POD, container: 'main' });
    expect(await shell.exec(['echo', '$MODE'], '')).toMatchObject({ stdout: '$MODE\n' });
    expect(await shell.exec(['cat'], 'x\n')).toMatchObject({ stdout: 'x\n', exitCode: 0 });
    expect(await shell.exec(['/bin/ls', '/var/run'], '')).toMatchObject({ stdout: 'secrets\n' });
    expect(await shell.exec(['rake'], '')).toMatchObject({
      stderr: 'sh: rake: command not found\n',
      exitCode: 127,
    });
    expect(await shell.exec(['sh'], 'echo from stdin; exit 4')).toMatchObject({
      stdout: 'from stdin\n',
      exitCode: 4,
    });
  });

  it('sleep ends early when the client goes away', async () => {
    const controller = new AbortController();
    const running = podShell({ pod: POD, container: 'main', signal: controller.signal }).exec(
      ['sh', '-c', 'sleep 3600; echo never'],
      '',
    );
    controller.abort();
    expect(await running).toMatchObject({ stdout: '', exitCode: 130 });
  });

  it('reports syntax it does not have with exit 2', async () => {
    expect(await sh('echo $(date)')).toMatchObject({
      stderr: 'sh: command substitution is not supported\n',
      exitCode: 2,
    });
    expect(await sh("echo 'open")).toMatchObject({ exitCode: 2 });
    expect(await sh('sleep 1 &')).toMatchObject({ exitCode: 2 });
    expect(() => parseScript('&& echo')).toThrow(ShellSyntaxError);
  });

  it('tokenizes words, operators and fd redirections', () => {
    const kinds = tokenize('a "b c" 2>&1 | d && e; f').map((t) => (t.kind === 'op' ? t.op : 'w'));
    expect(kinds).toEqual(['w', 'w', '2>&1', '|', 'w', '&&', 'w', ';', 'w']);
  });
});
