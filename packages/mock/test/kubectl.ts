import { spawn } from 'node:child_process';

/**
 * Runs the installed kubectl with its own HOME (so its discovery cache stays out of the real one) and
 * no stdin; resolves with stdout, rejects with the exit code and stderr.
 */
export function kubectl(args: string[], home: string): Promise<string> {
  const child = spawn('kubectl', args, {
    env: { PATH: process.env.PATH, HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 30_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`kubectl ${args.join(' ')} exited with ${code}: ${stderr}`));
    });
  });
}
