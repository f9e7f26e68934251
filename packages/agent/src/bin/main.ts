import { readFileSync } from 'node:fs';
import { createKubeSmart, type Logger, loadKubeConfig } from '@kubesmart/core';
import { Agent } from '../agent.js';
import { AgentConfigError, loadAgentConfig } from '../agentConfig.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** JSON lines on stderr, one per record, at `level` and above. */
function lineLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  const min = Math.max(0, LEVELS.indexOf(level as (typeof LEVELS)[number]));
  const write =
    (at: (typeof LEVELS)[number]) =>
    (obj: object | string, msg?: string): void => {
      if (LEVELS.indexOf(at) < min) return;
      const fields = typeof obj === 'string' ? { msg: obj } : { ...obj, msg };
      const err = (fields as { err?: unknown }).err;
      if (err instanceof Error) (fields as { err?: unknown }).err = { message: err.message, name: err.name };
      console.error(JSON.stringify({ time: new Date().toISOString(), level: at, ...bindings, ...fields }));
    };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => lineLogger(level, { ...bindings, ...more }),
  };
}

async function main(): Promise<void> {
  let config: ReturnType<typeof loadAgentConfig>;
  try {
    config = loadAgentConfig();
  } catch (error) {
    if (error instanceof AgentConfigError) {
      console.error(`kubesmart-agent: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  const logger = lineLogger(config.logLevel, { agent: config.agentId, cluster: config.clusterId });
  const kubeSmart = createKubeSmart({
    kubeConfig: loadKubeConfig(config.kubeconfig ? { path: config.kubeconfig } : {}),
    logger,
  });
  const agent = new Agent({
    hubUrl: config.hubUrl,
    agentId: config.agentId,
    clusterId: config.clusterId,
    credential: config.credential,
    kubeSmart,
    ca: config.caFile ? readFileSync(config.caFile) : undefined,
    caSha256: config.caSha256,
    logger,
  });
  agent.start();
  const stop = async (signal: string): Promise<void> => {
    logger.info({ signal }, 'stopping');
    await agent.close();
    await kubeSmart.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void main().catch((error: unknown) => {
  console.error('kubesmart-agent failed to start:', error);
  process.exit(1);
});
