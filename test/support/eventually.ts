/** Polls until `check` returns a truthy value: no fixed sleeps in tests, and no timing assertions. */
export async function eventually<T>(check: () => T | undefined | null | false, what: string, timeoutMs = 12_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
