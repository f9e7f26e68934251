import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig({ testTimeoutMs: 180_000, hookTimeoutMs: 60_000 });
