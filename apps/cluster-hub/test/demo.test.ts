import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../src/demo/main.ts', import.meta.url));

describe('pnpm hub-demo', () => {
  it('without a terminal: agents connect, a replica is killed and its agents move, a rate limit is hit, one JSON line last', async () => {
    const { stdout } = await run(process.execPath, ['--conditions=source', '--import', 'tsx', MAIN, '--ci'], {
      timeout: 150_000,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    const lines = stdout.trimEnd().split('\n');
    const summary = JSON.parse(lines.at(-1)!) as Record<string, number>;
    expect(summary).toMatchObject({ clusters: 3, agents: 3, replicas: 2, statusAfterKill: 200 });
    expect(summary.namespacesInProd).toBeGreaterThanOrEqual(3);
    expect(summary.rateLimited).toBeGreaterThan(0);
    expect(stdout).toMatch(
      /curl -H "X-API-Key: ksh_[^"]+" "http:\/\/127\.0\.0\.1:\d+\/api\/v3\.0\/cluster\/logs\?/,
    );
    expect(stdout).toContain('killing the hub replica holding');
    expect(lines.filter((l) => / connected \(session/.test(l)).length).toBeGreaterThanOrEqual(
      3 + summary.killedReplicaAgents!,
    );
  });
});
