import type { AttachTarget } from '../pods/containerProcess.js';
import type { ClientChannels } from './clientChannels.js';

/**
 * One attached client: its stdin goes to the process (closed when the client closes it or goes
 * away), the process's output goes out as it comes, and the exit of the process sends the status
 * and ends the session.
 */
export function runAttach(channels: ClientChannels, wantsStdin: boolean, target: AttachTarget): void {
  if (target.exitCode !== undefined) {
    channels.finish(target.exitCode);
    return;
  }
  const stdin = wantsStdin ? target.claimStdin() : undefined;
  const detach = target.attach({
    onOutput: (stream, text) => {
      if (stream === 'stdout') channels.stdout(text);
      else channels.stderr(text);
    },
    onExit: (exitCode) => {
      detach();
      channels.finish(exitCode);
    },
  });
  if (wantsStdin) {
    channels.onStdin(
      (text) => stdin?.write(text),
      () => stdin?.close(),
    );
  }
  channels.onClose(() => {
    detach();
    stdin?.close();
  });
}
