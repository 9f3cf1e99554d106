// The work that reaches people, through HTTP with real tokens, a worker and a dev server: the items the workflow
// publishes become each caller's worklist (GET /worklist), caseload (GET /caseload) and the team view (GET /team).
// Unallocated cases' items go to the area's manager and move to the officer on allocation. An item overdue past the
// threshold goes to the manager as well. Nothing crosses an area, and pages follow their cursor.
import { describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';

const deps = testDeps();
const ctx = useApiHarness(deps);

async function call(who: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${ctx.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

type Item = { sentenceId: string; key: string; because: string; escalated: boolean; dueDate: string };
const worklist = async (who: string, query = '') =>
  (await call(who, 'GET', `/worklist${query}`)).body as { items: Item[]; next: string | null };
/** Each item as "<case> <key> <why>", for the given cases only (other tests' cases share the store). */
const itemsOf = async (who: string, ids: string[], query = '') =>
  (await worklist(who, query)).items.filter((i) => ids.includes(i.sentenceId)).map((i) => `${i.sentenceId} ${i.key} ${i.because}`);

const today = londonDate(Date.now());
const daysAgo = (n: number) => londonDate(Date.now() - n * 86_400_000);
const inLondon = (sentenceDate = today) =>
  communityOrder(sentenceDate, periodEnd(sentenceDate, 12), {
    sentenceId: uniqueId('WRK'),
    provider: { providerCode: 'N07', areaCode: 'LDN' },
  });

describe('the worklist, the caseload and the team view', () => {
  it('give the area\u2019s manager an unallocated case\u2019s work, and the officer it once allocated, within their areas', async () => {
    const [a, b] = [inLondon(), inLondon()];
    for (const s of [a, b]) expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
    const ids = [a.sentenceId, b.sentenceId];
    // Unallocated: the first appointment (due within 5 business days) and the outputs it asks for, to the manager.
    const managers = await eventually(
      () => itemsOf('spo-ldn', ids),
      (l) => l.filter((x) => x.includes('deadline:first-appointment')).length === 2,
      'the manager has both cases\u2019 items',
    );
    expect(managers).toEqual(
      expect.arrayContaining([
        `${a.sentenceId} deadline:first-appointment unallocated`,
        `${a.sentenceId} output:3 unallocated`,
        `${b.sentenceId} deadline:first-appointment unallocated`,
      ]),
    );
    expect(await itemsOf('practitioner-ldn', ids)).toEqual([]);

    // Allocated to OM1: the items move to the officer; the manager keeps only the unallocated case's.
    expect((await call('spo-ldn', 'POST', `/sentences/${a.sentenceId}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    const officers = await eventually(
      () => itemsOf('practitioner-ldn', ids),
      (l) => l.includes(`${a.sentenceId} deadline:first-appointment holds-the-case`),
      'the officer has the allocated case\u2019s items',
    );
    expect(officers.every((x) => x.startsWith(a.sentenceId) && x.endsWith('holds-the-case'))).toBe(true);
    expect(officers).not.toContain(`${a.sentenceId} output:3 holds-the-case`); // the allocation itself is done
    const after = await itemsOf('spo-ldn', ids);
    expect(after.filter((x) => x.startsWith(a.sentenceId))).toEqual([]);
    expect(after).toContain(`${b.sentenceId} deadline:first-appointment unallocated`);
    // Kent sees none of London's work.
    expect(await itemsOf('practitioner-knt', ids)).toEqual([]);
    expect(await itemsOf('spo-knt', ids)).toEqual([]);

    // The officer's caseload: the case, what it waits for next, nothing overdue yet.
    const caseload = (await call('practitioner-ldn', 'GET', '/caseload')).body as { cases: Record<string, unknown>[] };
    const mine = caseload.cases.find((c) => c.sentenceId === a.sentenceId);
    expect(mine).toMatchObject({ phase: 'allocated', overdueDeadlines: 0, overdueOutputs: 0 });
    expect((mine!.next as { key: string }).key).toBe('deadline:first-appointment');
    expect(caseload.cases.map((c) => c.sentenceId)).not.toContain(b.sentenceId);

    // The team view, for the area's manager only.
    const team = (await call('spo-ldn', 'GET', '/team')).body as {
      areaCode: string;
      officers: { offenderManagerId: string; cases: { sentenceId: string; roshLevel: string }[] }[];
      unallocated: { sentenceId: string }[];
    };
    expect(team.areaCode).toBe('LDN');
    expect(team.officers.find((o) => o.offenderManagerId === 'OM1')!.cases).toContainEqual(
      expect.objectContaining({ sentenceId: a.sentenceId, roshLevel: 'medium' }),
    );
    expect(team.unallocated.map((c) => c.sentenceId)).toContain(b.sentenceId);
    expect((await call('practitioner-ldn', 'GET', '/team')).status).toBe(403);
    expect((await call('spo-ldn', 'GET', '/team?area=KNT')).status).toBe(403);
    expect((await call('case-system', 'GET', '/worklist')).status).toBe(403);
  });

  it('gives an item overdue past the threshold to the area\u2019s manager as well as its holder', async () => {
    // Sentenced 30 days ago: the first appointment was due 5 business days later, and escalated 5 business days after that.
    const late = inLondon(daysAgo(30));
    expect((await call('case-system', 'POST', '/sentences', late)).status).toBe(201);
    expect((await call('spo-ldn', 'POST', `/sentences/${late.sentenceId}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    const id = late.sentenceId;
    const holder = await eventually(
      async () => (await worklist('practitioner-ldn', `?sentenceId=${id}`)).items,
      (l) => l.some((i) => i.key === 'deadline:first-appointment' && i.because === 'holds-the-case'),
      'the holder has the overdue item',
    );
    expect(holder.find((i) => i.key === 'deadline:first-appointment')).toMatchObject({ escalated: true });
    const manager = (await worklist('spo-ldn', `?sentenceId=${id}&kind=deadline`)).items;
    expect(manager.map((i) => `${i.key} ${i.because}`)).toContain('deadline:first-appointment overdue-escalated');
  });

  it('lists a holder\u2019s alerts, and takes their acknowledgement once, on a case the caller may see', async () => {
    const late = inLondon(daysAgo(30));
    expect((await call('case-system', 'POST', '/sentences', late)).status).toBe(201);
    const id = late.sentenceId;
    type Alert = { sentenceId: string; idempotencyKey: string; acknowledgedAt: string | null; acknowledgedBy: string | null };
    const alertsOf = async (who: string, query = '') =>
      ((await call(who, 'GET', `/alerts${query}`)).body.alerts as Alert[]).filter((a) => a.sentenceId === id);
    // Unallocated: the overdue first appointment's alert is the area manager's.
    const [alert] = await eventually(
      () => alertsOf('spo-ldn'),
      (l) => l.some((a) => a.idempotencyKey === `sentence-${id}/deadline-overdue/first-appointment`),
      'the manager\u2019s alert',
    );
    expect(await alertsOf('practitioner-ldn')).toEqual([]);
    expect((await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    // Allocated: the officer who holds the case now has its alerts; the manager no longer; Kent never.
    await eventually(
      () => alertsOf('practitioner-ldn'),
      (l) => l.length > 0,
      'the holder\u2019s alerts',
    );
    expect(await alertsOf('spo-ldn')).toEqual([]);
    expect(await alertsOf('practitioner-knt')).toEqual([]);
    const key = alert!.idempotencyKey;
    expect((await call('practitioner-knt', 'POST', `/sentences/${id}/alerts/acknowledgement`, { key })).status).toBe(404);
    const ack = await call('practitioner-ldn', 'POST', `/sentences/${id}/alerts/acknowledgement`, { key });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ idempotencyKey: key, acknowledgedBy: 'OM1' });
    expect(ack.body.repeated).toBeUndefined();
    const again = await call('practitioner-ldn', 'POST', `/sentences/${id}/alerts/acknowledgement`, { key });
    expect([again.status, again.body.repeated, again.body.acknowledgedAt]).toEqual([200, true, ack.body.acknowledgedAt]);
    expect((await alertsOf('practitioner-ldn')).map((a) => a.idempotencyKey)).not.toContain(key);
    expect((await alertsOf('practitioner-ldn', '?all=true')).find((a) => a.idempotencyKey === key)).toMatchObject({
      acknowledgedBy: 'OM1',
    });
    const unknown = await call('practitioner-ldn', 'POST', `/sentences/${id}/alerts/acknowledgement`, { key: 'no-such-alert' });
    expect([unknown.status, unknown.body.detail]).toEqual([404, `no alert no-such-alert on sentence ${id}`]);
  });

  it('pages by cursor, and refuses a cursor it did not give', async () => {
    const s = inLondon();
    expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
    const all = await eventually(
      async () => (await worklist('spo-ldn', `?sentenceId=${s.sentenceId}`)).items.map((i) => i.key),
      (l) => l.length >= 3,
      'the case\u2019s items',
    );
    const paged: string[] = [];
    let next: string | null = null;
    do {
      const page: { items: Item[]; next: string | null } = await worklist(
        'spo-ldn',
        `?sentenceId=${s.sentenceId}&limit=2${next ? `&cursor=${next}` : ''}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((i) => i.key));
      next = page.next;
    } while (next);
    expect(paged).toEqual(all);
    const bad = await call('spo-ldn', 'GET', '/worklist?cursor=bm90LWEtY3Vyc29y');
    expect([bad.status, bad.body.detail]).toEqual([400, 'invalid cursor']);
    expect((await call('spo-ldn', 'GET', '/worklist?dueBefore=2026-13-01')).status).toBe(400);
  });
});
