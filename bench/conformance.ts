// Benchmark: GET /reports/conformance's read path as the caseload grows: the SQL read model on a real PostgreSQL (the
// embedded server, started here) against the in-memory aggregation of the same ledgers (the baseline, measured in the
// same run). The JSON file store it replaced was measured once before its removal (release 0.2.0's closing note:
// 97 / 674 / 7,279 ms at 1k / 10k / 100k, 9.5-16x the SQL). Prints figures; asserts nothing.
// Usage: npm run bench:conformance -- [N ...]   (default: 1000 10000 100000)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { periodEnd } from '../domain/dates.ts';
import { commence } from '../domain/lifecycle.ts';
import { conformance, ledgerSummary, type LedgerSummary } from '../domain/outputs/conformance.ts';
import type { OutputStatus } from '../domain/outputs/ledger.ts';
import { openStore } from '../store/index.ts';
import { freePort, startEmbeddedPostgres } from '../store/embedded.ts';
import { baseOffender, communityOrder, suspendedSentence } from '../test/support/fixtures.ts';

const args = process.argv.slice(2);
const sizes = args.map(Number).filter((n) => n > 0);
const ns = sizes.length > 0 ? sizes : [1000, 10_000, 100_000];

/** A deterministic pseudo-random sequence (the populations are the same in every run). */
function rng(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

/** N sentences' summaries: a few real commenced ledgers as templates, their statuses varied as a caseload's would be. */
function population(n: number): LedgerSummary[] {
  const sd = '2026-06-01';
  const templates = [
    communityOrder(sd, periodEnd(sd, 12)),
    communityOrder(sd, periodEnd(sd, 24), { requirements: [{ type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 6 }] }),
    communityOrder(sd, periodEnd(sd, 12), { offender: { ...baseOffender, registeredSexOffender: true, roshLevel: 'high' } }),
    suspendedSentence(sd, 24, 12),
  ].map((s) => commence(s, 'bench', Date.parse(`${sd}T10:00:00Z`)));
  const statuses: OutputStatus[] = ['done', 'done', 'done', 'late', 'overdue', 'due', 'pending', 'not-possible'];
  const next = rng(42);
  return Array.from({ length: n }, (_, i) => {
    const t = templates[i % templates.length]!;
    const base = ledgerSummary(t, 1);
    return {
      ...base,
      sentenceId: `B${i}`,
      areaCode: `A${Math.floor(next() * 20)}`,
      providerCode: `N${Math.floor(next() * 5)}`,
      sentenceDate: `2026-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-15`,
      outputs: base.outputs.map((o) => (o.applies ? { ...o, status: statuses[Math.floor(next() * statuses.length)]! } : o)),
    };
  });
}

/** Loads summaries in bulk (population only: the report, not the load, is what is measured). */
async function bulkLoad(url: string, rows: LedgerSummary[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('TRUNCATE ledger_summaries CASCADE');
  for (let i = 0; i < rows.length; i += 2000) {
    const batch = rows.slice(i, i + 2000);
    await client.query(
      `INSERT INTO ledger_summaries (sentence_id, seq, order_type, sentence_date, area_code, provider_code, phase)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[])`,
      [
        batch.map((s) => s.sentenceId),
        batch.map((s) => s.seq),
        batch.map((s) => s.orderType),
        batch.map((s) => s.sentenceDate),
        batch.map((s) => s.areaCode),
        batch.map((s) => s.providerCode),
        batch.map((s) => s.phase),
      ],
    );
    const outs = batch.flatMap((s) => s.outputs.map((o) => ({ id: s.sentenceId, ...o })));
    await client.query(
      `INSERT INTO ledger_outputs (sentence_id, output_row, applies, status, trigger_event, open_since)
       SELECT * FROM unnest($1::text[], $2::smallint[], $3::boolean[], $4::text[], $5::text[], $6::date[])`,
      [
        outs.map((o) => o.id),
        outs.map((o) => o.row),
        outs.map((o) => o.applies),
        outs.map((o) => o.status),
        outs.map((o) => o.trigger ?? null),
        outs.map((o) => o.openSince ?? null),
      ],
    );
  }
  await client.query('ANALYZE');
  await client.end();
}

const best = async (f: () => Promise<unknown>, runs = 3) => {
  let min = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
};

const dir = mkdtempSync(join(tmpdir(), 'so-bench-'));
const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: await freePort(), persistent: false });
const store = await openStore(postgres.url);

console.log('N\tsql_all_ms\tsql_area_ms\tmemory_aggregate_ms\tsql/memory');
for (const n of ns) {
  const rows = population(n);
  await bulkLoad(postgres.url, rows);
  const check = await store.ledgers.conformance({});
  const expected = conformance(rows.map((r) => r.outputs));
  if (JSON.stringify(check) !== JSON.stringify(expected)) throw new Error(`SQL and memory reports differ at N=${n}`);
  const sqlAll = await best(() => store.ledgers.conformance({}));
  const sqlArea = await best(() => store.ledgers.conformance({ area: 'A3', from: '2026-03-01', to: '2026-09-30' }));
  const memory = await best(async () => conformance(rows.map((r) => r.outputs)));
  const cells = [n, sqlAll.toFixed(0), sqlArea.toFixed(0), memory.toFixed(1), (sqlAll / memory).toFixed(1)];
  console.log(cells.join('\t'));
}
await store.close();
await postgres.stop();
rmSync(dir, { recursive: true, force: true });
