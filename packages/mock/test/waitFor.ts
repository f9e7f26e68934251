/** Polls `check` until it returns a truthy value; fails with `what` after `attempts` tries. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  attempts = 400,
  stepMs = 25,
): Promise<NonNullable<T>> {
  let last: unknown;
  for (let i = 0; i < attempts; i += 1) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}
