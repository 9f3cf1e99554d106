// Benchmark: the latency authentication adds to a command through HTTP. Two instances of the API in one process, on
// one dev server, one worker and one store: one verifies each request's bearer token (a real RS256 JWT from the
// embedded identity provider, checked against its JWKS: auth/verify.ts), the baseline is handed the same principal
// without a token (a measurement only: the product has no way to skip verification). Both then do the same: rights,
// the case's scope, the command, the audit event. Requests alternate between the two, one at a time. Prints figures;
// asserts nothing. Usage: npm run bench:auth -- [commands]   (default 400)
import { londonDate, periodEnd } from '../domain/dates.ts';
import { startTestIdp } from '../test/support/auth.ts';
import { communityOrder, uniqueId } from '../test/support/fixtures.ts';
import { startStack, summary } from './stack.ts';

const N = Number(process.argv[2] ?? 400);
const SENTENCES = 20;

async function main() {
  const stack = await startStack();
  const { token } = stack;
  try {
    const today = londonDate(Date.now());
    const ids: string[] = [];
    const post = async (base: string, path: string, body: unknown) => {
      const t = performance.now();
      const res = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      await res.text();
      if (res.status >= 300) throw new Error(`${path}: ${res.status}`);
      return performance.now() - t;
    };
    for (let i = 0; i < SENTENCES; i++) {
      const s = communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('BA') });
      await post(stack.withAuth, '/sentences', s);
      await post(stack.withAuth, `/sentences/${s.sentenceId}/allocation`, { offenderManagerId: 'OM1' });
      await post(stack.withAuth, `/sentences/${s.sentenceId}/first-appointment`, {});
      ids.push(s.sentenceId);
    }
    const times: Record<'auth' | 'baseline', number[]> = { auth: [], baseline: [] };
    for (let i = 0; i < N; i++) {
      // The same command, alternating between the two APIs (warm-up: the first 20 are not counted).
      const which = i % 2 === 0 ? 'auth' : 'baseline';
      const ms = await post(stack[which === 'auth' ? 'withAuth' : 'baseline'], `/sentences/${ids[i % SENTENCES]}/appointments`, {
        appointmentId: `A${i}`,
        date: today,
      });
      if (i >= 20) times[which].push(ms);
    }
    await report(times, stack.idp, token);
  } finally {
    await stack.stop();
  }
}

async function report(times: Record<'auth' | 'baseline', number[]>, idp: Awaited<ReturnType<typeof startTestIdp>>, token: string) {
  const [a, b] = [summary(times.auth), summary(times.baseline)];
  console.log(`a command (POST /sentences/:id/appointments) through HTTP, ${a.n + b.n} measured, alternating, one at a time`);
  console.log('| API | commands | p50 ms | p99 ms |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| token verified (RS256, JWKS) | ${a.n} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} |`);
  console.log(`| principal given (baseline) | ${b.n} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} |`);
  // The verification alone, many times (signature, claims; the JWKS is cached after the first request).
  const t0 = performance.now();
  const VERIFY = 5000;
  for (let i = 0; i < VERIFY; i++) await idp.auth.verify(token);
  console.log(`token verification alone: ${(((performance.now() - t0) / VERIFY) * 1000).toFixed(1)} µs each (${VERIFY} in a row)`);
  const ratio = (a.p50 / b.p50).toFixed(3);
  console.log(
    `authentication adds ${(a.p50 - b.p50).toFixed(2)} ms at the median (ratio ${ratio}), ${(a.p99 - b.p99).toFixed(2)} ms at p99`,
  );
}

await main();
