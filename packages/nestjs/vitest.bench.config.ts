import { defineConfig } from 'vitest/config';

/** `pnpm bench`: runs bench/run.ts in vitest's runner, which emits the decorator metadata Nest needs. */
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: { include: ['bench/run.ts'], testTimeout: 600_000, hookTimeout: 60_000 },
});
