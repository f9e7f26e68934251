/** What to do about a container that exits, by exit code and reason. */
export function crashFix(exitCode: number | undefined, reason: string | undefined): string {
  const logs = 'Read the logs of the last run (`logs({ previous: true })`, `kubectl logs --previous`)';
  if (reason === 'OOMKilled' || exitCode === 137)
    return `${logs}; exit 137 is a SIGKILL, usually the memory limit: raise resources.limits.memory or reduce usage.`;
  if (exitCode === 127)
    return 'The command was not found in the image: check command/args and that the binary exists in the image.';
  if (exitCode === 126) return 'The command is not executable: check its file mode and the image.';
  if (exitCode === 0)
    return 'The main process exits successfully but a Deployment expects it to keep running: run a long-lived process, or use a Job.';
  if (exitCode === 143)
    return `${logs}; exit 143 is a SIGTERM: check liveness probes and whoever stops the process.`;
  return `${logs} and fix the error the app reports at start (configuration, missing env, unreachable dependencies).`;
}

/** What to do about an image that cannot be pulled, from the kubelet's message. */
export function imagePullFix(image: string, messages: string): string {
  if (/unauthorized|denied|authentication required|403/i.test(messages)) {
    return `The registry refused access to "${image}": add imagePullSecrets with credentials for it.`;
  }
  if (/not found|manifest unknown|404/i.test(messages)) {
    return `"${image}" does not exist: check the repository name and tag (was it pushed?).`;
  }
  return `Check the image name and tag of "${image}", that the registry is reachable from the nodes, and imagePullSecrets for private registries.`;
}

/** What to do about an unschedulable pod, from the scheduler's message. */
export function schedulingFix(message: string): string {
  if (/Insufficient (cpu|memory)/i.test(message))
    return "Lower the pod's resource requests, free capacity, or add nodes.";
  if (/didn't match.*(selector|affinity)/i.test(message))
    return 'Fix nodeSelector/affinity so some node matches, or label a node accordingly.';
  if (/taint/i.test(message)) return 'Add a toleration for the node taints, or remove the taints.';
  if (/unschedulable/i.test(message))
    return 'The nodes are cordoned: uncordon one (`kubectl uncordon NODE`) or add nodes.';
  return 'Read the FailedScheduling events and make the pod fit a node (requests, selectors, taints, volumes).';
}
