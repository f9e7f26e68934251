import { packageTestConfig } from '../../vitest.shared.ts';

// Scenarios start emulated clusters and real servers: one file at a time on a loaded machine.
export default packageTestConfig({
  include: ['src/**/*.test.ts'],
  testTimeoutMs: 180_000,
  hookTimeoutMs: 60_000,
  serial: true,
});
