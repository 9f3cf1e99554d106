// The project's store on a real PostgreSQL (a database of its own for this file): migrations from empty, the read
// model's newer-seq-wins upsert under concurrent writers, exactly one delivery row per notification under concurrent
// retries, alerts once per key, and the conformance SQL against populations counted by hand and by the domain.
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { conformance, type LedgerSummary } from '../../domain/outputs/conformance.ts';
import { migrate, openStore } from '../../store/index.ts';
import { outputMessage } from '../support/fixtures.ts';
import { fileStore, freshDatabase } from '../support/store.ts';

type Outputs = LedgerSummary['outputs'];
const summary = (
  sentenceId: string,
  seq: number,
  over: Partial<LedgerSummary> = {},
  outputs: Outputs = [{ row: 1, applies: true, status: 'done' }],
): LedgerSummary => ({
  sentenceId,
  seq,
  orderType: 'CO',
  sentenceDate: '2026-11-23',
  areaCode: 'LDN',
  providerCode: 'N07',
  phase: 'allocated',
  outputs,
  ...over,
});

describe('the project store on PostgreSQL', () => {
  it('migrates an empty database, and again without change (several processes may start at once)', async () => {
    const url = await freshDatabase();
    await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    const applied = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pgmigrations');
    await client.end();
    expect(tables.rows.map((r) => r.t)).toEqual([
      'alerts',
      'audit_events',
      'deliveries',
      'idempotency_keys',
      'ledger_outputs',
      'ledger_summaries',
      'person_notifications',
      'pgmigrations',
      'web_sessions',
      'work_item_events',
      'work_items',
    ]);
    expect(applied.rows[0]!.n).toBe(7); // initial, audit, idempotency keys, work items, messages to people, acknowledgements, web sessions
    const store = await openStore(url);
    await store.ping();
    await store.close();
  });

  it('claims an Idempotency-Key for one body: the same body again is true, another body false, per case and command', async () => {
    const { idempotency } = await fileStore();
    const k = { sentenceId: 'IDEM1', command: 'complete-review', key: 'k1', bodySha256: 'a'.repeat(64) };
    const claims = await Promise.all(Array.from({ length: 8 }, () => idempotency.claim(k)));
    expect(claims).toEqual([true, true, true, true, true, true, true, true]);
    expect(await idempotency.claim({ ...k, bodySha256: 'b'.repeat(64) })).toBe(false);
    expect(await idempotency.claim({ ...k, command: 'complete-plan', bodySha256: 'b'.repeat(64) })).toBe(true);
    expect(await idempotency.claim({ ...k, sentenceId: 'IDEM2', bodySha256: 'b'.repeat(64) })).toBe(true);
    expect(await idempotency.prune()).toBe(0); // none is 30 days old
  });

  it('keeps the newest seq of each sentence under concurrent writers, outputs and all', async () => {
    const { ledgers } = await fileStore();
    const writes = Array.from({ length: 40 }, (_, i) => {
      const seq = (i * 7) % 40; // 0..39 in a scrambled order
      return summary('SEQ1', seq, { phase: `phase-${seq}` }, [{ row: 3, applies: true, status: seq === 39 ? 'done' : 'due' }]);
    });
    const stored = await Promise.all(writes.map((w) => ledgers.put(w)));
    expect(stored.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    expect(await ledgers.put(summary('SEQ1', 39))).toBe(false); // the same seq again is not newer
    expect(await ledgers.put(summary('SEQ1', 12))).toBe(false);
    const report = await ledgers.conformance({ area: 'LDN', from: '2026-11-23', to: '2026-11-23' });
    expect(report.cases).toBe(1);
    expect(report.rows[2]).toMatchObject({ row: 3, applied: 1, onTime: 1, open: 0 });
  });

  it('logs exactly one delivery row per notification, whatever the concurrent retries', async () => {
    const { deliveries } = await fileStore();
    const opened = await Promise.all(Array.from({ length: 20 }, () => deliveries.open(outputMessage('S2/output/2.csc', 'S2'), 'http')));
    expect(opened.filter((o) => o.created)).toHaveLength(1);
    await Promise.all([
      deliveries.settle('S2/output/2.csc', { status: 'pending', error: 'csc answered 503' }),
      deliveries.settle('S2/output/2.csc', { status: 'delivered' }),
    ]);
    await deliveries.settle('S2/output/2.csc', { status: 'pending', error: 'a late retry' }); // after delivery: ignored
    const held = await deliveries.open(outputMessage('S2/output/1', 'S2'), 'held');
    expect(held).toMatchObject({ created: true, record: { status: 'held', channel: 'held', attempts: 0 } });
    const rows = await deliveries.list('S2');
    expect(rows.map((r) => [r.idempotencyKey, r.status, r.channel])).toEqual([
      ['S2/output/2.csc', 'delivered', 'http'],
      ['S2/output/1', 'held', 'held'],
    ]);
    expect(rows[0]!.deliveredAt).not.toBeNull();
    expect(rows[0]!.message).toEqual(outputMessage('S2/output/2.csc', 'S2'));
  });

  it('records each alert once per key', async () => {
    const { alerts } = await fileStore();
    const alert = {
      idempotencyKey: 'sentence-S3/deadline-overdue/plan',
      sentenceId: 'S3',
      kind: 'deadline-overdue' as const,
      deadlineId: 'plan',
      label: 'Plan within 15 business days of the first appointment',
      dueDate: '2026-12-14',
      overdueSince: '2026-12-15T00:00:00.000Z',
      areaCode: 'LDN',
    };
    expect(await Promise.all([alerts.deliver(alert), alerts.deliver(alert), alerts.deliver(alert)])).toEqual(
      expect.arrayContaining([true, false, false]),
    );
    const listed = await alerts.list('S3');
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ deadlineId: 'plan', dueDate: '2026-12-14', offenderManagerId: null, acknowledgedAt: null });
  });

  it('counts conformance in SQL as counted by hand, with every filter', async () => {
    const { ledgers } = await fileStore();
    // Area HAND: four cases. Row 1 applies to all (done, done, late, overdue); row 23 is contingent: one triggered
    // and open, one untriggered (not counted), one not applying; row 30 not possible in one case.
    const cases: LedgerSummary[] = [
      summary('H1', 1, { areaCode: 'HAND', orderType: 'CO', sentenceDate: '2026-01-10' }, [
        { row: 1, applies: true, status: 'done' },
        { row: 23, applies: true, status: 'due', trigger: 'child-wellbeing-information', openSince: '2026-02-01' },
      ]),
      summary('H2', 1, { areaCode: 'HAND', orderType: 'CO', sentenceDate: '2026-03-10' }, [
        { row: 1, applies: true, status: 'done' },
        { row: 23, applies: true, status: 'pending', trigger: 'child-wellbeing-information' },
      ]),
      summary('H3', 1, { areaCode: 'HAND', orderType: 'SSO', sentenceDate: '2026-05-10', providerCode: 'N03' }, [
        { row: 1, applies: true, status: 'late' },
        { row: 23, applies: false, status: 'not-applicable' },
        { row: 30, applies: true, status: 'not-possible' },
      ]),
      summary('H4', 1, { areaCode: 'HAND', orderType: 'SSO', sentenceDate: '2026-07-10' }, [
        { row: 1, applies: true, status: 'overdue' },
        { row: 2, applies: true, status: 'action-needed' },
      ]),
    ];
    for (const c of cases) await ledgers.put(c);
    const all = await ledgers.conformance({ area: 'HAND' });
    expect(all.cases).toBe(4);
    expect(all.rows[0]).toMatchObject({ row: 1, applied: 4, onTime: 2, late: 1, overdue: 1, notPossible: 0, open: 0 });
    expect(all.rows[1]).toMatchObject({ row: 2, applied: 1, overdue: 1 });
    expect(all.rows[22]).toMatchObject({ row: 23, applied: 1, open: 1 });
    expect(all.rows[29]).toMatchObject({ row: 30, applied: 1, notPossible: 1 });
    expect((await ledgers.conformance({ area: 'HAND', orderType: 'SSO' })).rows[0]).toMatchObject({ applied: 2, late: 1, overdue: 1 });
    expect((await ledgers.conformance({ area: 'HAND', provider: 'N03' })).cases).toBe(1);
    const firstHalf = await ledgers.conformance({ area: 'HAND', from: '2026-01-01', to: '2026-04-30' });
    expect(firstHalf.cases).toBe(2);
    expect(firstHalf.rows[0]).toMatchObject({ applied: 2, onTime: 2 });
    // And the same as the domain's own aggregation of the same ledgers.
    expect(all).toEqual(conformance(cases.map((c) => c.outputs)));
  });
});
