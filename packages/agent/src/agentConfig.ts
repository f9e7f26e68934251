import { readFileSync } from 'node:fs';
import { isValidId } from './protocol/index.js';

/** The agent's settings as the `kubesmart-agent` bin reads them from the environment. */
export interface AgentConfig {
  hubUrl: string;
  agentId: string;
  clusterId: string;
  credential: string;
  caFile: string | undefined;
  caSha256: string | undefined;
  kubeconfig: string | undefined;
  logLevel: string;
}

/** A setting is missing or wrong; the message names the variable. */
export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
}

function required(env: NodeJS.ProcessEnv, name: string, hint: string): string {
  const value = env[name]?.trim();
  if (!value) throw new AgentConfigError(`${name} is not set: ${hint}`);
  return value;
}

/** Reads and checks the agent's environment (see the README's configuration table). */
export function loadAgentConfig(env: NodeJS.ProcessEnv = process.env): AgentConfig {
  const hubUrl = required(env, 'HUB_URL', 'the hub address, e.g. wss://hub.example.com:8008');
  let protocol: string;
  try {
    protocol = new URL(hubUrl).protocol;
  } catch {
    throw new AgentConfigError(`HUB_URL=${JSON.stringify(hubUrl)} is not a URL`);
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(protocol)) {
    throw new AgentConfigError(`HUB_URL=${JSON.stringify(hubUrl)}: use ws://, wss://, http:// or https://`);
  }
  const agentId = required(env, 'AGENT_ID', 'the id the agent credential was registered for');
  const clusterId = required(env, 'CLUSTER_ID', 'the id of this cluster, as the credential was registered');
  for (const [name, value] of [
    ['AGENT_ID', agentId],
    ['CLUSTER_ID', clusterId],
  ] as const) {
    if (!isValidId(value))
      throw new AgentConfigError(
        `${name}=${JSON.stringify(value)}: use 1-63 lowercase letters, digits, ".", "_" or "-"`,
      );
  }
  const file = env.AGENT_CREDENTIAL_FILE?.trim();
  const credential = file
    ? readFileSync(file, 'utf8').trim()
    : required(
        env,
        'AGENT_CREDENTIAL',
        'or AGENT_CREDENTIAL_FILE: the ksa_ credential from `kubesmart hub agents register`',
      );
  return {
    hubUrl,
    agentId,
    clusterId,
    credential,
    caFile: env.HUB_CA_FILE?.trim() || undefined,
    caSha256: env.HUB_CA_SHA256?.trim() || undefined,
    kubeconfig: env.KUBECONFIG?.trim() || undefined,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
}
