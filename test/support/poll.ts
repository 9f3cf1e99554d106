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
