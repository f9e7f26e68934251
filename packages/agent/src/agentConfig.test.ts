import { describe, expect, it } from 'vitest';
import { loadAgentConfig } from './agentConfig.js';

const env = {
  HUB_URL: 'wss://hub.example.com:8008',
  AGENT_ID: 'agent-1',
  CLUSTER_ID: 'prod',
  AGENT_CREDENTIAL: 'ksa_x',
};

describe('loadAgentConfig', () => {
  it('reads the environment', () => {
    expect(loadAgentConfig({ ...env, HUB_CA_SHA256: 'sha256:ab' })).toMatchObject({
      hubUrl: 'wss://hub.example.com:8008',
      agentId: 'agent-1',
      clusterId: 'prod',
      caSha256: 'sha256:ab',
      logLevel: 'info',
    });
  });

  it.each([
    ['HUB_URL', { ...env, HUB_URL: '' }],
    ['HUB_URL', { ...env, HUB_URL: 'ftp://hub' }],
    ['AGENT_ID', { ...env, AGENT_ID: 'Agent One' }],
    ['AGENT_CREDENTIAL', { ...env, AGENT_CREDENTIAL: '' }],
  ])('names %s when it is wrong', (name, values) => {
    expect(() => loadAgentConfig(values)).toThrow(name);
  });
});
