/**
 * The suite's one poll: waits until `check` (sync or async) gives something
 * truthy, and returns it. An error it throws counts as "not yet" (a row not
 * there, a page still loading); the last one is in the timeout's message.
 */
export interface EventuallyOptions {
  /** How long to wait in all; default 10 s. */
  ms?: number;
  /** What the timeout names. */
  label?: string;
  /** How often to ask; default every 50 ms. */
  every?: number;
}

type Falsy = undefined | null | false | 0 | '';

export async function eventually<T>(
  check: () => T | Falsy | Promise<T | Falsy>,
  msOrOptions: number | EventuallyOptions = {},
  label?: string,
): Promise<T> {
  const options = typeof msOrOptions === 'number' ? { ms: msOrOptions, label } : msOrOptions;
  const deadline = Date.now() + (options.ms ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${options.label ?? 'condition'}${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.every ?? 50));
  }
}
