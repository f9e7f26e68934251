import { packageTestConfig } from '../../vitest.shared.ts';

// Each test runs the demo's cluster of real servers: one at a time keeps probes on time.
export default packageTestConfig({ include: ['test/**/*.test.ts'], hookTimeoutMs: 60_000, serial: true });
