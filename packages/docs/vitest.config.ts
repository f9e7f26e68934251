import { packageTestConfig } from '../../vitest.shared.ts';

export default packageTestConfig({
  include: ['test/**/*.test.ts'],
  testTimeoutMs: 180_000,
  hookTimeoutMs: 120_000,
  sources: false,
});
