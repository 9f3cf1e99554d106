// Work items on a real PostgreSQL (store/work.ts, domain/work.ts): a case's items through allocation, transfer, an
// overdue escalation and closure, each change of hands recorded; the worklist and caseload of two officers and a
// manager, within their scope and a limited-access case's lists; the team view; pages by cursor. The summaries are the
// ones the workflow publishes (ledgerSummary with caseWorkOf) of states the domain reaches. The expected items are
// written out from the policy: the first appointment within 5 business days of a sentence on Monday 23 November 2026
// is due on Monday 30 November and escalates 5 business days later, on 7 December.
import { describe, expect, it } from 'vitest';
import { periodEnd } from '../../domain/dates.ts';
import { ledgerSummary } from '../../domain/outputs/conformance.ts';
import type { SentenceState } from '../../domain/state.ts';
import type { Viewer } from '../../domain/visibility.ts';
import { caseWorkOf } from '../../domain/work.ts';
import type { WorkQuery } from '../../store/index.ts';
import { communityOrder } from '../support/fixtures.ts';
import { after, at, given, run } from '../support/scenario.ts';
import { fileStore } from '../support/store.ts';

const SD = '2026-11-23';
const om1: Viewer = { id: 'OM1', kind: 'user', provider: 'N07', areas: ['LDN'] };
const om3: Viewer = { id: 'OM3', kind: 'user', provider: 'N07', areas: ['LDN'] };
const om4: Viewer = { id: 'OM4', kind: 'user', provider: 'N07', areas: ['LDN'] };
const om9: Viewer = { id: 'OM9', kind: 'user', provider: 'N07', areas: ['KNT'] };
const spoLdn: Viewer = { id: 'SPO1', kind: 'user', provider: 'N07', areas: ['LDN'] };
const spoKnt: Viewer = { id: 'SPO2', kind: 'user', provider: 'N07', areas: ['KNT'] };

let seq = 0;
const summary = (s: SentenceState) => ({ ...ledgerSummary(s, ++seq), work: caseWorkOf(s) });
const sentence = (id: string, over: Parameters<typeof communityOrder>[2] = {}) =>
  given(communityOrder(SD, periodEnd(SD, 12), { sentenceId: id, provider: { providerCode: 'N07', areaCode: 'LDN' }, ...over }));
const allocate = (s: SentenceState, om: string) => run(s, [{ type: 'allocate', offenderManagerId: om }, SD]);

async function listOf(viewer: Viewer, q: Partial<WorkQuery> = {}) {
  const { work } = await fileStore();
  const managerOf = viewer.id.startsWith('SPO') ? viewer.areas : [];
  const items = await work.worklist({ viewer, managerOf, today: SD, limit: 100, ...q });
  return items.map((i) => `${i.sentenceId} ${i.key} ${i.dueDate} ${i.because}${i.escalated ? ' escalated' : ''}`);
}

describe('a case\u2019s work items', () => {
  it('go to the area while unallocated, to the holder once allocated, to the new area on transfer, to the managers when overdue, and close with the case', async () => {
    const store = await fileStore();
    const week = { dueBefore: '2026-11-30' };
    const s = sentence('WA');
    await store.ledgers.put(summary(s));
    expect(await listOf(spoLdn, week)).toEqual([
      'WA deadline:first-appointment 2026-11-30 unallocated',
      'WA output:3 2026-11-30 unallocated',
      'WA output:6 2026-11-30 unallocated',
    ]);
    expect(await listOf(om1, week)).toEqual([]);

    // Allocated: the holder has them (output 3, the allocation, is done); the manager no longer does.
    const held = allocate(s, 'OM1');
    await store.ledgers.put(summary(held));
    expect(await listOf(om1, week)).toEqual([
      'WA deadline:first-appointment 2026-11-30 holds-the-case',
      'WA output:6 2026-11-30 holds-the-case',
    ]);
    expect(await listOf(spoLdn, week)).toEqual([]);

    // Overdue by 5 business days (7 December): the area's managers have them too; the holder still does.
    const late = { ...week, today: '2026-12-07' };
    expect(await listOf(spoLdn, late)).toEqual([
      'WA deadline:first-appointment 2026-11-30 overdue-escalated escalated',
      'WA output:6 2026-11-30 overdue-escalated escalated',
    ]);
    expect(await listOf(spoLdn, { ...week, today: '2026-12-04' })).toEqual([]);
    expect(await listOf(om1, late)).toEqual([
      'WA deadline:first-appointment 2026-11-30 holds-the-case escalated',
      'WA output:6 2026-11-30 holds-the-case escalated',
    ]);

    // Transferred to Kent and held there by OM9: London's holder and managers lose them, Kent's have them.
    const moved: SentenceState = { ...held, provider: { providerCode: 'N07', areaCode: 'KNT' }, offenderManagerId: 'OM9' };
    await store.ledgers.put(summary(moved));
    expect(await listOf(om1, late)).toEqual([]);
    expect(await listOf(spoLdn, late)).toEqual([]);
    expect(await listOf(om9, week)).toEqual([
      'WA deadline:first-appointment 2026-11-30 holds-the-case',
      'WA output:6 2026-11-30 holds-the-case',
    ]);
    expect(await listOf(spoKnt, late)).toEqual([
      'WA deadline:first-appointment 2026-11-30 overdue-escalated escalated',
      'WA output:6 2026-11-30 overdue-escalated escalated',
    ]);
    // An older summary changes nothing.
    expect(await store.ledgers.put({ ...ledgerSummary(held, seq - 1), work: caseWorkOf(held) })).toBe(false);
    expect(await listOf(om9, week)).toHaveLength(2);

    // Closed: nothing is left for anyone.
    await store.ledgers.put(summary({ ...moved, phase: 'closed' }));
    expect(await listOf(om9, { today: '2026-12-07' })).toEqual([]);
    expect(await listOf(spoKnt, { today: '2028-01-01' })).toEqual([]);

    const hands = (await store.work.history('WA')).map((e) => `${e.itemKey} ${e.event} ${e.holder ?? '-'} ${e.areaCode}`);
    expect(hands.filter((h) => h.startsWith('deadline:first-appointment '))).toEqual([
      'deadline:first-appointment opened - LDN',
      'deadline:first-appointment reassigned OM1 LDN',
      'deadline:first-appointment reassigned OM9 KNT',
      'deadline:first-appointment closed OM9 KNT',
    ]);
    expect(hands.filter((h) => h.startsWith('output:3 '))).toEqual(['output:3 opened - LDN', 'output:3 closed OM1 LDN']);
  });

  it('close one by one as the work is done, and open the next stage\u2019s', async () => {
    const store = await fileStore();
    const s = allocate(sentence('WB'), 'OM1');
    await store.ledgers.put(summary(s));
    const met = run(s, [{ type: 'record-first-appointment' }, '2026-11-25']);
    await store.ledgers.put(summary(met));
    // The first appointment is met; output 6 (the sentence explained) still waits for its evidence; the plan is due.
    expect(await listOf(om1, { sentenceId: 'WB', dueBefore: '2026-12-16', kind: 'deadline' })).toEqual([
      'WB deadline:plan 2026-12-16 holds-the-case',
    ]);
    expect(await listOf(om1, { sentenceId: 'WB', dueBefore: '2026-11-30' })).toEqual(['WB output:6 2026-11-30 holds-the-case']);
    const events = (await store.work.history('WB')).map((e) => `${e.itemKey} ${e.event}`);
    expect(events).toContain('deadline:first-appointment closed');
    expect(events).toContain('deadline:plan opened');
  });
});

describe('worklists, caseloads and the team view', () => {
  it('give two officers and a manager their own, within their scope and a limited-access case\u2019s lists, a page at a time', async () => {
    const store = await fileStore();
    // On 1 December: WC held by OM3 and WD by OM4, their first appointments overdue; WE and WF unallocated, and the
    // manager SPO1 excluded from WF.
    const onFirst = (s: SentenceState) => after(s, at('2026-12-01')).state;
    const cases = [
      onFirst(allocate(sentence('WC'), 'OM3')),
      onFirst(allocate(sentence('WD'), 'OM4')),
      onFirst(sentence('WE')),
      onFirst(sentence('WF', { access: { excluded: ['SPO1'] } })),
    ];
    for (const c of cases) await store.ledgers.put(summary(c));
    const week = { dueBefore: '2026-12-04', today: '2026-12-01' };
    expect(await listOf(om3, week)).toEqual([
      'WC deadline:first-appointment 2026-11-30 holds-the-case',
      'WC output:6 2026-11-30 holds-the-case',
    ]);
    expect(await listOf(om4, week)).toEqual([
      'WD deadline:first-appointment 2026-11-30 holds-the-case',
      'WD output:6 2026-11-30 holds-the-case',
    ]);
    expect(await listOf(spoLdn, week)).toEqual([
      'WE deadline:first-appointment 2026-11-30 unallocated',
      'WE output:3 2026-11-30 unallocated',
      'WE output:6 2026-11-30 unallocated',
    ]);
    // Another area's manager sees none of them.
    expect(await listOf(spoKnt, { ...week, today: '2027-01-01' })).toEqual([]);

    // A page at a time: the cursor is the last item's sort key.
    const { work } = await fileStore();
    const page = (q: Partial<WorkQuery>) => work.worklist({ viewer: spoLdn, managerOf: ['LDN'], ...week, limit: 2, ...q });
    const first = await page({});
    expect(first.map((i) => `${i.sentenceId} ${i.key}`)).toEqual(['WE deadline:first-appointment', 'WE output:3']);
    const last = first.at(-1)!;
    const second = await page({ after: { dueDate: last.dueDate, sentenceId: last.sentenceId, key: last.key } });
    expect(second.map((i) => `${i.sentenceId} ${i.key}`)).toEqual(['WE output:6']);

    // Caseloads: each officer's cases, what each waits for next, and the counts of what is overdue.
    const caseload = await work.caseload({ viewer: om3, limit: 50 });
    expect(caseload.filter((c) => c.sentenceId === 'WC')).toEqual([
      {
        sentenceId: 'WC',
        orderType: 'CO',
        phase: 'allocated',
        roshLevel: 'medium',
        requirements: ['unpaid-work', 'rehabilitation-activity'],
        next: { key: 'deadline:first-appointment', label: 'First appointment within 5 business days of sentence', dueDate: '2026-11-30' },
        overdueDeadlines: 1,
        overdueOutputs: 1,
      },
    ]);
    expect((await work.caseload({ viewer: om4, limit: 50 })).map((c) => c.sentenceId)).toContain('WD');
    expect((await work.caseload({ viewer: om4, limit: 50 })).map((c) => c.sentenceId)).not.toContain('WC');

    // The team view: cases held per officer with their risk and requirements, and the unallocated cases the manager may see.
    const team = await work.team({ viewer: spoLdn, areaCode: 'LDN' });
    const held = (om: string) => team.officers.find((o) => o.offenderManagerId === om)?.cases.map((c) => c.sentenceId) ?? [];
    expect(held('OM3')).toContain('WC');
    expect(held('OM4')).toContain('WD');
    expect(team.officers.find((o) => o.offenderManagerId === 'OM3')!.cases.find((c) => c.sentenceId === 'WC')).toEqual({
      sentenceId: 'WC',
      roshLevel: 'medium',
      requirements: ['unpaid-work', 'rehabilitation-activity'],
    });
    const unallocated = team.unallocated.map((c) => c.sentenceId);
    expect(unallocated).toContain('WE');
    expect(unallocated).not.toContain('WF');
  });
});
