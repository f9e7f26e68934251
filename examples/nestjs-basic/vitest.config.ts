import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  // Nest reads constructor types from `design:paramtypes`; emit legacy decorators with metadata.
  oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } },
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 },
});
