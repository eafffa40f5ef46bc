/** Poll-until-condition with a deadline: tests wait for a state, never for a fixed time. */
export interface WaitOptions {
  /** @defaultValue 15_000 */
  timeoutMs?: number;
  /** @defaultValue 25 */
  intervalMs?: number;
  /** Said in the error when the deadline passes (a function is called then, to show fresh output). */
  message?: string | (() => string);
}

/** Resolves with the first truthy value of `cond()`; rejects after `timeoutMs`. */
export async function waitFor<T>(cond: () => T | Promise<T>, opts: WaitOptions = {}): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const why = lastError ? ` (last error: ${(lastError as Error)?.message ?? lastError})` : "";
      throw new Error(`waitFor timed out after ${timeoutMs} ms: ${(typeof opts.message === "function" ? opts.message() : opts.message) ?? "condition never held"}${why}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 25));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
