import { runCli } from './cli.js';

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Everything is closed by now; should a socket linger, do not hang the shell.
setTimeout(() => process.exit(code), 2000).unref();
