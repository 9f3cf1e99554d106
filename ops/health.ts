// One readiness check's outcome, for the API's and the worker's /health/ready: 'ok' when the check answers within the
// timeout, `failing: <first line of the error>` otherwise.

/** How long a readiness check may take before it counts as failed. */
export const CHECK_TIMEOUT_MS = 2000;

export async function checkOutcome(check: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS)));
    await Promise.race([check(), timeout]);
    return 'ok';
  } catch (e) {
    return `failing: ${e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)}`;
  } finally {
    clearTimeout(timer);
  }
}
