/** Polls until `check` returns a value (not undefined) or the attempts run out; then throws with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, check: (v: T) => boolean, what: string, attempts = 100): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await probe();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 2000)}`);
}

/**
 * Polls `probe` every half second until it returns a value (not undefined), for up to `timeoutMs`; a probe that throws
 * (a server still starting) is tried again. Then throws with what it waited for and the last error.
 */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out waiting for ${what}: ${String(last)}`);
}
