#!/usr/bin/env node
/**
 * Runs the gateway: `server.js [--config FILE] [--kubeconfig FILE]`. The cluster is found by
 * `loadKubeConfig()` (in-cluster service account, KUBECONFIG, ~/.kube/config) unless --kubeconfig
 * names a file; HOST and PORT override the configured address.
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadKubeConfig } from '@kubesmart/core';
import { GatewayConfigError, loadGatewayConfig } from './config/loadGatewayConfig.js';
import { createGateway } from './gateway.js';

const DEFAULT_CONFIG = fileURLToPath(new URL('../config/gateway.yaml', import.meta.url));

async function main(): Promise<void> {
  const { values } = parseArgs({
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      kubeconfig: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write('usage: server.js [--config gateway.yaml] [--kubeconfig FILE]\n');
    return;
  }
  const config = await loadGatewayConfig(values.config ?? process.env.GATEWAY_CONFIG ?? DEFAULT_CONFIG, {
    logger: { warn: (where, message) => process.stderr.write(`warning: ${message ?? String(where)}\n`) },
  });
  const port = process.env.PORT === undefined ? undefined : Number(process.env.PORT);
  const kubeConfig = loadKubeConfig(values.kubeconfig === undefined ? {} : { path: values.kubeconfig });
  const gateway = await createGateway({
    config,
    kubeConfig,
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    listen: {
      ...(process.env.HOST ? { host: process.env.HOST } : {}),
      ...(port === undefined ? {} : { port }),
    },
  });
  gateway.app.log.info(`mesh gateway on ${gateway.url}; dashboard at ${gateway.url}/mesh/`);
  const stop = (): void => {
    gateway.app.log.info('stopping');
    void gateway.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof GatewayConfigError ? error.message : `gateway: ${(error as Error).stack ?? String(error)}`}\n`,
  );
  process.exitCode = 1;
});
