import type { KubeObject } from '../../cluster/kubeObject.js';
import type { ResourceRef } from '../../cluster/resources.js';
import type { EngineContext } from '../../engineContext.js';
import { CallTimeoutError } from '../../errors.js';

export interface WaitForObjectOptions {
  readonly ref: ResourceRef;
  readonly namespace: string | undefined;
  readonly name: string;
  /** True once the object (undefined: it does not exist) is as wanted. */
  readonly test: (object: KubeObject | undefined) => boolean;
  readonly timeoutMs: number;
  /** `pod default/web to reach phase Running`, for the timeout error. */
  readonly what: string;
  /** Describes the last state seen, for the timeout error. */
  readonly describe: (object: KubeObject | undefined) => string;
}

/**
 * Waits, driven by a watch (a share of the registry's cache of this one object), until `test`
 * passes; rejects with {@link CallTimeoutError} after `timeoutMs`. Every listener, the timer and the
 * share are released however it ends.
 */
export function waitForObject(
  context: EngineContext,
  options: WaitForObjectOptions,
): Promise<KubeObject | undefined> {
  const handle = context.registry.acquire({
    resource: options.ref,
    namespace: options.namespace,
    fieldSelector: `metadata.name=${options.name}`,
  });
  const { cache } = handle;
  return new Promise((resolve, reject) => {
    let done = false;
    let seen = false;
    let last: KubeObject | undefined;
    const finish = (error: unknown, object?: KubeObject): void => {
      if (done) return;
      done = true;
      cache.off('add', onObject).off('update', onObject).off('delete', onDelete).off('sync', onSync);
      context.clock.clearTimeout(timer);
      handle.release();
      if (error) reject(error);
      else resolve(object);
    };
    const check = (object: KubeObject | undefined): void => {
      seen = true;
      last = object;
      let passed: boolean;
      try {
        passed = options.test(object);
      } catch (error) {
        finish(error);
        return;
      }
      if (passed) finish(undefined, object);
    };
    const onObject = (object: KubeObject): void => check(object);
    const onDelete = (): void => check(undefined);
    const onSync = (): void => check(cache.get(options.namespace, options.name));
    const timer = context.clock.setTimeout(() => {
      const lastError = cache.status().lastError;
      finish(
        new CallTimeoutError(
          `${options.what} did not happen within ${options.timeoutMs} ms; last seen: ${seen ? options.describe(last) : 'nothing yet, the watch had not listed it'}.${lastError ? ` Last watch error: ${lastError.message}` : ''} Raise timeoutMs or check the object.`,
          {
            cause: lastError,
            details: { namespace: options.namespace, name: options.name, timeoutMs: options.timeoutMs },
          },
        ),
      );
    }, options.timeoutMs);
    cache.on('add', onObject).on('update', onObject).on('delete', onDelete).on('sync', onSync);
    if (cache.synced()) onSync();
  });
}
