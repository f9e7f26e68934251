import { packageTestConfig } from '../../vitest.shared.ts';

// Each file runs an emulated cluster and a proxy on real sockets.
export default packageTestConfig({ testTimeoutMs: 60_000, hookTimeoutMs: 60_000, serial: true });
