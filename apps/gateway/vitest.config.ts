import { packageTestConfig } from '../../vitest.shared.ts';

// Each file runs a cluster of real servers (and one a browser): one at a time keeps probes on time.
export default packageTestConfig({ hookTimeoutMs: 60_000, serial: true });
