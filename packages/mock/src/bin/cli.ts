import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { parseTokenFlag } from '../api/auth.js';
import { createMockCluster } from '../cluster.js';
import { waitForPods } from '../pods/waitForPods.js';
import type { KubeObject } from '../types.js';
import { SAMPLE_NAMESPACE, sampleCluster } from './sampleCluster.js';

const USAGE = `Usage: kubesmart-mock serve [options]
       kubesmart-mock check [options]

serve   starts an emulated Kubernetes API server that kubectl and @kubernetes/client-node can use, and
        serves until SIGINT or SIGTERM, with or without a terminal.
check   starts it, lists its pods with kubectl (waiting for the sample pods with --sample), prints
        them and exits: 0 when kubectl could list them.

Options:
  --port N              port to listen on (default: a free port)
  --host ADDR           loopback address to listen on (default: 127.0.0.1)
  --tls | --no-tls      HTTPS with a generated CA (default) or plain HTTP
  --kubeconfig FILE     where to write the kubeconfig (default: a file in the temp directory)
  --objects FILE.yaml   objects to create at start (repeatable; --seed, its old name, works too)
  --sample              create a sample shop: a namespace, two services with three pods each, a ConfigMap
  --token NAME=TOKEN    add a user with every permission and this bearer token (repeatable)
  --anonymous MODE      admin | deny: what requests without a token may do
  -h, --help            show this help
`;

const run = promisify(execFile);

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    allowNegative: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      tls: { type: 'boolean' },
      kubeconfig: { type: 'string' },
      objects: { type: 'string', multiple: true },
      seed: { type: 'string', multiple: true },
      sample: { type: 'boolean' },
      token: { type: 'string', multiple: true },
      anonymous: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== 'serve' && command !== 'check') || positionals.length > 1) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 2;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0-65535, got ${values.port}`);
  if (values.anonymous !== undefined && values.anonymous !== 'admin' && values.anonymous !== 'deny') {
    throw new Error(`--anonymous must be admin or deny, got ${values.anonymous}`);
  }
  const sample: KubeObject[] = values.sample ? sampleCluster() : [];
  const files = [...(values.objects ?? []), ...(values.seed ?? [])];
  const objectYaml = await Promise.all(files.map((file) => readFile(resolve(file), 'utf8')));
  const cluster = await createMockCluster({
    port,
    ...(values.host ? { host: values.host } : {}),
    tls: values.tls ?? true,
    users: (values.token ?? []).map(parseTokenFlag),
    ...(values.anonymous ? { anonymous: values.anonymous as 'admin' | 'deny' } : {}),
    probeIntervalMs: 500,
  });
  if (sample.length > 0) await cluster.apply(sample);
  for (const yaml of objectYaml) await cluster.apply(yaml);
  const kubeconfig = resolve(values.kubeconfig ?? join(tmpdir(), `kubesmart-mock-${process.pid}.kubeconfig`));
  // The sample's objects live in `shop`: its kubeconfig's context uses that namespace, so clients that
  // take the context's namespace (kubectl, createKubeSmart()) find them without -n.
  await cluster.writeKubeconfig(kubeconfig, values.sample ? { namespace: SAMPLE_NAMESPACE } : {});

  process.stdout.write(
    [
      `kubesmart-mock: API server at ${cluster.url}`,
      `kubeconfig: ${kubeconfig}`,
      '',
      'Point kubectl at it:',
      `  export KUBECONFIG=${kubeconfig}`,
      `  kubectl get pods -A${values.sample ? `\n  kubectl get deploy,svc,endpointslices,cm   (namespace ${SAMPLE_NAMESPACE}, the context's)` : ''}`,
      '',
    ].join('\n'),
  );

  if (command === 'check') {
    await waitForPods(cluster, { count: values.sample ? 6 : 0 });
    const { stdout } = await run('kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'wide'], {
      env: { ...process.env, HOME: join(tmpdir(), 'kubesmart-mock-home') },
    });
    process.stdout.write(`$ kubectl get pods -A -o wide\n${stdout}`);
    await cluster.close();
    return 0;
  }

  process.stdout.write('Serving until SIGINT (Ctrl+C) or SIGTERM.\n');
  const signal = await new Promise<NodeJS.Signals>((done) => {
    process.once('SIGINT', () => done('SIGINT'));
    process.once('SIGTERM', () => done('SIGTERM'));
  });
  process.stdout.write(`kubesmart-mock: ${signal}, stopping\n`);
  await cluster.close();
  process.stdout.write('kubesmart-mock: stopped\n');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`kubesmart-mock: ${(error as Error).message ?? String(error)}\n`);
    process.exitCode = 1;
  },
);
