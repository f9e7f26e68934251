/**
 * The one vitest configuration of the workspace's packages and apps: each `vitest.config.ts` is
 * `export default packageTestConfig({ ... })`, saying only what differs. (The examples keep their
 * own, so each still runs when copied out of the repository.)
 */
import { defineConfig } from 'vitest/config';

export interface PackageTestOptions {
  /** Test files. @default ['src/**\/*.test.ts', 'test/**\/*.test.ts'] */
  include?: string[];
  /** Bound of one test, for a loaded machine (never a timing assertion). @default 30000 */
  testTimeoutMs?: number;
  /** Bound of one hook. @default 30000 */
  hookTimeoutMs?: number;
  /** One test file at a time: for files that each run clusters of real servers. @default false */
  serial?: boolean;
  /** Also check `*.test-d.ts` type tests against the package's tsconfig.json. @default false */
  typeTests?: boolean;
  /** Emit legacy decorators with `design:paramtypes` metadata (Nest reads constructor types from it). @default false */
  decorators?: boolean;
  /** Resolve workspace packages to their sources (the `source` export condition). @default true */
  sources?: boolean;
}

export function packageTestConfig(options: PackageTestOptions = {}) {
  const sources = options.sources ?? true;
  return defineConfig({
    ...(sources ? { resolve: { conditions: ['source'] }, ssr: { resolve: { conditions: ['source'] } } } : {}),
    ...(options.decorators ? { oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } } } : {}),
    test: {
      include: options.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      ...(options.typeTests
        ? {
            typecheck: {
              include: ['src/**/*.test-d.ts', 'test/**/*.test-d.ts'],
              tsconfig: './tsconfig.json',
            },
          }
        : {}),
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: options.hookTimeoutMs ?? 30_000,
      ...(options.serial ? { fileParallelism: false } : {}),
    },
  });
}
