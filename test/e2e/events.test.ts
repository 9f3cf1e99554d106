// The event-driven commands end to end through HTTP only: risk information as a Signal (Prefer: respond-async) and as
// a command, the NPS decision, transfers, court reports, requirement progress and the officer ending an order. The API
// runs in this process against a real worker and a Temporal dev server (SQLite, free ports).
import { describe, expect, it } from 'vitest';
import type { outputsView } from '../../api/app.ts';
import type { CommandArgs, CommandType } from '../../contracts/index.ts';
import { addDays, londonDate, periodEnd } from '../../domain/dates.ts';
import { SENTENCING_ACT_2026 } from '../../domain/law.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { communityOrder, suspendedSentence, uniqueId } from '../support/fixtures.ts';
import { testDeps } from '../support/deps.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';
import { httpClient, type View } from '../support/commands.ts';

const deps = testDeps();
const ctx = useApiHarness(deps);
const today = londonDate(Date.now());

type Outputs = ReturnType<typeof outputsView>;
interface Listed {
  items: {
    sentenceId: string;
    areaCode: string | null;
    providerCode: string | null;
    roshLevel: string | null;
    offenderManagerId: string | null;
  }[];
}

const http = httpClient(
  () => ctx.base,
  () => ctx.token(),
);
const { get, post } = http;
const ASYNC = { Prefer: 'respond-async' };

/** A command that must succeed: the reply's body is the sentence as it now stands. */
async function command<T extends CommandType>(id: string, type: T, args: CommandArgs<T>): Promise<View> {
  const r = await http.command(id, type, args);
  expect(r.status, `${type}: ${JSON.stringify(r.body)}`).toBe(200);
  return r.body;
}
const sentence = async (id: string) => (await get(`/sentences/${id}`)).body;
const outputRow = async (id: string, row: number) =>
  (await get<Outputs>(`/sentences/${id}/outputs`)).body.outputs.find((o) => o.row === row);
const listed = async (area: string) => (await get<Listed>(`/sentences?area=${area}`)).body.items;
const uniqueArea = () => uniqueId('A').replace(/-/g, ''); // unique per call: the sequence number is kept whole

async function start(s: SentenceInput): Promise<string> {
  const r = await post('/sentences', s);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return s.sentenceId;
}

/** Allocated, inducted and planned today: the phases in which transfers and progress are accepted. */
async function supervise(id: string, offenderManagerId: string): Promise<void> {
  await command(id, 'allocate', { offenderManagerId });
  await command(id, 'record-first-appointment', {});
  await command(id, 'complete-plan', {});
}

describe('event-driven commands through HTTP against a running worker and dev server', () => {
  it('risk information as a Signal: 202, applied and referred to the NPS, search attributes upserted; a signal the case cannot take is on the timeline', async () => {
    const area = uniqueArea();
    const id = await start(communityOrder(today, periodEnd(today, 12), { provider: { providerCode: 'N07', areaCode: area } }));
    const info = { roshLevel: 'high', sourceCode: 'police', by: 'OM1' };
    const sent = await post<{ accepted: boolean; via: string; command: string; commandId: string }>(`/sentences/${id}/risk`, info, {
      ...ASYNC,
      'Idempotency-Key': `risk-${id}`,
    });
    expect(sent.status).toBe(202);
    expect(sent.body).toEqual({
      accepted: true,
      sentenceId: id,
      command: 'record-risk-information',
      commandId: `record-risk-information:risk-${id}`,
      via: 'signal',
    });

    const v = await eventually(
      () => sentence(id),
      (x) => x.risk.referrals.length === 1 && x.risk.roshLevel === 'high',
      'risk applied from the signal',
    );
    expect(v.risk.referrals[0]).toMatchObject({ id: 'nps-1', on: today, by: 'OM1', reasonCode: 'risk-escalation' });
    expect(v.risk.history).toEqual([expect.objectContaining({ on: today, sourceCode: 'police', roshLevel: 'high', increased: true })]);
    expect(v.timeline.map((e) => e.event)).toEqual(expect.arrayContaining(['risk-information', 'referred-to-nps']));
    const items = await eventually(
      () => listed(area),
      (l) => l[0]?.roshLevel === 'high',
      'RoshLevel upserted',
    );
    expect(items).toEqual([expect.objectContaining({ sentenceId: id, areaCode: area, providerCode: 'N07', roshLevel: 'high' })]);
    // Filters on what the workflow upserted: RoSH, provider, order type.
    const filtered = async (q: string) => (await get<Listed>(`/sentences?area=${area}${q}`)).body.items.map((i) => i.sentenceId);
    expect(await filtered('&roshLevel=high&provider=N07&orderType=CO')).toEqual([id]);
    expect(await filtered('&roshLevel=medium')).toEqual([]);

    // The same signal again (same Idempotency-Key, so the same commandId) is not applied twice.
    expect((await post(`/sentences/${id}/risk`, info, { ...ASYNC, 'Idempotency-Key': `risk-${id}` })).status).toBe(202);
    await command(id, 'allocate', { offenderManagerId: 'OM1' });
    const same = await post(
      `/sentences/${id}/transfers`,
      { transferId: 'SAME', toProviderCode: 'N07', toAreaCode: area, reasonCode: 'MOVED', by: 'OM1' },
      ASYNC,
    );
    expect(same.status).toBe(202);
    const after = await eventually(
      () => sentence(id),
      (x) => x.signalsRejected.count > 0,
      'a rejected signal counted',
    );
    expect(after.signalsRejected.latest.map((r) => [r.type, r.reason])).toEqual([
      ['request-transfer', `the case is already held by N07/${area}`],
    ]);
    expect(after.transfers).toEqual([]);
    expect(after.risk.history).toHaveLength(1); // the repeated risk signal arrived before the transfer: it was skipped
    expect(after.risk.referrals).toHaveLength(1);
    // The same key sent again as an Update is the same command: answered, not applied a second time.
    expect((await post(`/sentences/${id}/risk`, info, { 'Idempotency-Key': `risk-${id}` })).status).toBe(200);
    expect((await sentence(id)).risk.history).toHaveLength(1);
    // One key used for two different commands is two commands: both are applied.
    const key = { ...ASYNC, 'Idempotency-Key': `shared-${id}` };
    await post(`/sentences/${id}/risk`, { mappa: { category: 1, level: 1 }, sourceCode: 'mappa', by: 'OM1' }, key);
    await post(
      `/sentences/${id}/transfers`,
      { transferId: 'T9', toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'MOVED', by: 'OM1' },
      key,
    );
    const both = await eventually(
      () => sentence(id),
      (x) => x.transfers.length === 1 && x.risk.history.length === 2,
      'both commands with one key applied',
    );
    expect(both.transfers[0]).toMatchObject({ id: 'T9', status: 'requested' });
    // A signal to a sentence that does not exist is refused at once.
    expect((await post('/sentences/nobody-9/risk', info, ASYNC)).status).toBe(404);
  });

  it('risk information and the NPS decision as commands: 409 below high RoSH, then the NPS takes the case', async () => {
    const area = uniqueArea();
    const id = await start(communityOrder(today, periodEnd(today, 12), { provider: { providerCode: 'N07', areaCode: area } }));
    await command(id, 'allocate', { offenderManagerId: 'OM2' });
    const assessed = await command(id, 'record-risk-information', {
      roshLevel: 'high',
      sourceCode: 'oasys',
      assessmentTool: 'OASys',
      by: 'OM2',
    });
    expect(assessed.risk).toMatchObject({
      roshLevel: 'high',
      withNps: false,
      referrals: [expect.objectContaining({ reasonCode: 'risk-escalation' })],
    });
    expect((await post(`/sentences/${id}/risk`, { sourceCode: 'police', by: 'OM2' })).body.error).toBe(
      'risk information needs a roshLevel, a mappa change or escalationSuggested',
    );

    const medium = await post(`/sentences/${id}/nps-decision`, {
      decision: 'assumes-responsibility',
      roshLevel: 'medium',
      offenderManagerId: 'NPS9',
      by: 'SPO1',
    });
    expect(medium).toMatchObject({
      status: 409,
      body: { error: 'the NPS assumes responsibility for high risk of serious harm cases: its assessment is medium' },
    });
    const taken = await command(id, 'record-nps-decision', {
      decision: 'assumes-responsibility',
      roshLevel: 'high',
      offenderManagerId: 'NPS9',
      by: 'SPO1',
    });
    expect(taken.owner).toEqual({ providerCode: 'NPS', areaCode: area, offenderManagerId: 'NPS9', courtCode: 'B01CN' });
    expect(taken.offenderManagerId).toBe('NPS9');
    expect(taken.ownership.map((o) => [o.providerCode, o.from, o.to ?? null])).toEqual([
      ['N07', today, today],
      ['NPS', today, null],
    ]);
    expect(taken.risk.withNps).toBe(true);
    expect(taken.risk.referrals[0]?.decision).toMatchObject({ type: 'assumes-responsibility', roshLevel: 'high', by: 'SPO1' });
    expect(taken.deadlines.find((d) => d.kind === 'nps-decision')?.status).toBe('met');

    const again = await post(`/sentences/${id}/nps-referral`, { reasonCode: 'RISK', by: 'OM2' });
    expect(again).toMatchObject({ status: 409, body: { error: 'the NPS already holds this case' } });
    const items = await eventually(
      () => listed(area),
      (l) => l[0]?.providerCode === 'NPS',
      'ProviderCode upserted',
    );
    expect(items[0]).toMatchObject({ sentenceId: id, providerCode: 'NPS', offenderManagerId: 'NPS9', roshLevel: 'high' });
  });

  it('transfers: requested, approved, accepted; the owner changes once; a second response 409; a malformed body 400', async () => {
    const from = uniqueArea();
    const to = uniqueArea();
    const id = await start(communityOrder(today, periodEnd(today, 12), { provider: { providerCode: 'N07', areaCode: from } }));
    await supervise(id, 'OM3');
    const requested = await command(id, 'request-transfer', {
      transferId: 'T1',
      toProviderCode: 'N09',
      toAreaCode: to,
      toCourtCode: 'C02XY',
      reasonCode: 'MOVED',
      by: 'OM3',
    });
    expect(requested.transfers).toEqual([
      expect.objectContaining({
        id: 'T1',
        status: 'requested',
        from: { providerCode: 'N07', areaCode: from, offenderManagerId: 'OM3', courtCode: 'B01CN' },
        to: { providerCode: 'N09', areaCode: to, courtCode: 'C02XY' },
      }),
    ]);
    expect(requested.owner.providerCode).toBe('N07');
    const approved = await command(id, 'decide-transfer', { transferId: 'T1', decision: 'approved', by: 'SPO3' });
    expect(approved.transfers[0]).toMatchObject({ status: 'approved', acceptanceDue: expect.any(String) });
    expect(approved.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('pending');
    expect(approved.ownership).toHaveLength(1);

    const accepted = await command(id, 'respond-to-transfer', {
      transferId: 'T1',
      decision: 'accepted',
      offenderManagerId: 'OM9',
      by: 'SPO9',
    });
    expect(accepted.owner).toEqual({ providerCode: 'N09', areaCode: to, offenderManagerId: 'OM9', courtCode: 'C02XY' });
    expect(accepted.ownership).toHaveLength(2);
    expect(accepted.ownership[1]).toMatchObject({
      providerCode: 'N09',
      areaCode: to,
      offenderManagerId: 'OM9',
      from: today,
      reason: 'transfer T1',
    });
    expect(accepted.ownership[0]?.to).toBe(today);
    expect(accepted.transfers[0]?.status).toBe('accepted');
    expect(accepted.deadlines.find((d) => d.id === 'transfer-T1')?.status).toBe('met');
    for (const row of [27, 28]) expect((await outputRow(id, row))?.status).toBe('done');

    const second = await post(`/sentences/${id}/transfers/response`, {
      transferId: 'T1',
      decision: 'accepted',
      offenderManagerId: 'OM8',
      by: 'SPO9',
    });
    expect(second).toMatchObject({
      status: 409,
      body: { error: 'transfer T1 is accepted: only an approved transfer can be accepted or rejected' },
    });
    const malformed = await post(`/sentences/${id}/transfers/response`, { decision: 'accepted', offenderManagerId: 'OM8', by: 'SPO9' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.problems?.map((p) => p.path)).toEqual(['transferId']);
    expect((await sentence(id)).owner.offenderManagerId).toBe('OM9');
    const items = await eventually(
      () => listed(to),
      (l) => l.length === 1,
      'listed under the new area',
    );
    expect(items[0]).toMatchObject({ sentenceId: id, providerCode: 'N09', offenderManagerId: 'OM9' });
    expect(await listed(from)).toEqual([]);
  });

  it('court reports: requested (pending, row 24 due), submitted (row 24 done), submitted again 409', async () => {
    const id = await start(communityOrder(today, periodEnd(today, 12)));
    const dueOn = addDays(today, 10);
    const requested = await command(id, 'request-court-report', { reportId: 'R1', kind: 'progress', dueOn, by: 'OM4' });
    expect(requested.courtReports).toEqual([
      expect.objectContaining({ id: 'R1', kind: 'progress', dueOn, requestedOn: today, courtCode: 'B01CN', status: 'pending' }),
    ]);
    expect(await outputRow(id, 24)).toMatchObject({ applies: true, status: 'due', dueDate: dueOn });
    expect(
      (await post(`/sentences/${id}/court-reports`, { reportId: 'R2', kind: 'progress', dueOn: addDays(today, -1), by: 'OM4' })).status,
    ).toBe(409);

    const submitted = await command(id, 'submit-court-report', { reportId: 'R1', reference: 'CR-1', by: 'OM4' });
    expect(submitted.courtReports[0]).toMatchObject({ status: 'met', submitted: { on: today, by: 'OM4', reference: 'CR-1' } });
    expect(await outputRow(id, 24)).toMatchObject({
      status: 'done',
      evidence: [expect.objectContaining({ by: 'OM4', reference: 'CR-1' })],
    });
    const again = await post(`/sentences/${id}/court-reports/submission`, { reportId: 'R1', by: 'OM4' });
    expect(again).toMatchObject({ status: 409, body: { error: `report R1 was already submitted on ${today}` } });
  });

  it('unpaid work progress with the 2026 credit, and the officer ending a CO once the objectives are met', async () => {
    expect(today > SENTENCING_ACT_2026.managementOfOrders.date).toBe(true); // a CO sentenced today follows the 2026 law
    const id = await start(communityOrder(today, periodEnd(today, 12), { requirements: [{ type: 'unpaid-work', hours: 40 }] }));
    expect((await sentence(id)).law).toMatchObject({
      officerMayEndOrder: true,
      unpaidWorkCredit: { qualifyingFraction: 0.25, creditMinutesPerHour: 30 },
    });
    await supervise(id, 'OM5');
    const progress = async (amount: number) =>
      (await command(id, 'record-requirement-progress', { requirementIndex: 0, amount, by: 'OM5' })).progress.requirements[0];
    // 25% (10 hours) with a clean record qualifies; each further hour worked then takes 30 minutes off.
    expect(await progress(10)).toMatchObject({
      type: 'unpaid-work',
      unit: 'hours',
      target: 40,
      done: 10,
      credited: 0,
      remaining: 30,
      complete: false,
    });
    expect((await sentence(id)).progress.requirements[0]?.note).toMatch(new RegExp(`^credit earning since ${today}`));
    expect(await progress(15)).toMatchObject({ done: 25, credited: 7.5, remaining: 7.5, complete: false });
    expect(await progress(5)).toMatchObject({ done: 30, credited: 10, remaining: 0, complete: true });
    expect((await post(`/sentences/${id}/requirements/progress`, { requirementIndex: 1, amount: 1, by: 'OM5' })).body.error).toBe(
      'no requirement 1 (the order has 1)',
    );
    expect((await post(`/sentences/${id}/requirements/progress`, { requirementIndex: 0, amount: 0, by: 'OM5' })).status).toBe(400);

    const early = await post(`/sentences/${id}/early-termination`, { noFurtherInstructionsNeeded: true, by: 'OM5' });
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('the order cannot be ended yet: no review has recorded the sentence plan objectives as met');
    expect((await command(id, 'complete-review', { objectivesMet: true })).progress.objectivesMetOn).toBe(today);
    const ended = await command(id, 'end-order-by-officer', { noFurtherInstructionsNeeded: true, by: 'OM5' });
    expect(ended.termination).toEqual({ reason: 'ended-by-officer', on: today });
    expect(ended.phase).toBe('terminated');
    expect(ended.progress.endedByOfficer).toEqual({ on: today, by: 'OM5' });
    expect(await outputRow(id, 25)).toMatchObject({ evidence: [expect.objectContaining({ by: 'OM5' })] });
  });

  it('a CO sentenced before the 2026 law: no unpaid work credit; its officer may end it once its hours are done (rules 2)', async () => {
    const sentenceDate = addDays(SENTENCING_ACT_2026.managementOfOrders.date, -40);
    const id = await start(
      communityOrder(sentenceDate, periodEnd(sentenceDate, 24), { requirements: [{ type: 'unpaid-work', hours: 40 }] }),
    );
    expect((await sentence(id)).law).toMatchObject({ officerMayEndOrder: false, unpaidWorkCredit: null });
    await command(id, 'allocate', { offenderManagerId: 'OM6' });
    const p = (await command(id, 'record-requirement-progress', { requirementIndex: 0, amount: 30, by: 'OM6' })).progress.requirements[0];
    expect(p).toMatchObject({ done: 30, credited: 0, remaining: 10, complete: false });
    expect(p?.note).toMatch(/^no credit under the law of this sentence/);
    // The officer's power (ss.38-39) reaches orders made before it (no saving provision in SI 2026/402): here the
    // hours, without the credit, are not done yet.
    const refused = await post(`/sentences/${id}/early-termination`, { noFurtherInstructionsNeeded: true, by: 'OM6' });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: 'the order cannot be ended yet: requirement 0 (unpaid-work) is not complied with in full' },
    });
    expect((await sentence(id)).termination).toBeNull();
    await command(id, 'record-requirement-progress', { requirementIndex: 0, amount: 10, by: 'OM6' });
    const ended = await command(id, 'end-order-by-officer', { noFurtherInstructionsNeeded: true, by: 'OM6' });
    expect(ended.termination).toEqual({ reason: 'ended-by-officer', on: today });
  });

  it('early revocation sought from the court: 409 for a decision without an application, then granted; an SSO further offence; refused and rejected transfers', async () => {
    const id = await start(communityOrder(today, periodEnd(today, 12)));
    await supervise(id, 'OM8');
    const early = await post(`/sentences/${id}/early-revocation/decision`, { decision: 'granted', by: 'court' });
    expect(early).toMatchObject({ status: 409, body: { error: 'no application for early revocation awaits a decision' } });
    // A transfer refused by the sending side, then one rejected by the receiving side: the case stays put both times.
    const request = (transferId: string) => ({ transferId, toProviderCode: 'N09', toAreaCode: 'XYZ', reasonCode: 'MOVED', by: 'OM8' });
    await command(id, 'request-transfer', request('T1'));
    const refused = await command(id, 'decide-transfer', { transferId: 'T1', decision: 'refused', reasonCode: 'risk', by: 'SPO8' });
    expect(refused.transfers[0]?.status).toBe('refused');
    await command(id, 'request-transfer', request('T2'));
    await command(id, 'decide-transfer', { transferId: 'T2', decision: 'approved', by: 'SPO8' });
    const rejected = await command(id, 'respond-to-transfer', {
      transferId: 'T2',
      decision: 'rejected',
      reasonCode: 'no-capacity',
      by: 'SPO9',
    });
    expect(rejected.transfers.map((t) => t.status)).toEqual(['refused', 'rejected']);
    expect(rejected.owner).toMatchObject({ providerCode: 'N07', offenderManagerId: 'OM8' });
    expect(rejected.ownership).toHaveLength(1);

    const co = await post(`/sentences/${id}/enforcement/further-offence`, {
      offenceId: 'F1',
      offenceOn: today,
      convictedOn: today,
      by: 'OM8',
    });
    expect(co).toMatchObject({
      status: 409,
      body: { error: 'a further offence is an event of a suspended sentence order (Schedule 16 Part 2)' },
    });
    const applied = await command(id, 'apply-for-early-revocation', { by: 'OM8' });
    expect(applied.progress.earlyRevocation).toMatchObject({ application: { on: today, by: 'OM8' } });
    expect((await post(`/sentences/${id}/early-revocation/application`, { by: 'OM8' })).status).toBe(409);
    const granted = await command(id, 'record-revocation-decision', { decision: 'granted', by: 'court' });
    expect(granted.termination).toEqual({ reason: 'revoked', on: today });

    const sso = await start(suspendedSentence(today, 12, 6));
    await command(sso, 'allocate', { offenderManagerId: 'OM8' });
    const fo = await command(sso, 'record-further-offence', { offenceId: 'F1', offenceOn: today, convictedOn: today, by: 'OM8' });
    expect(fo.compliance.breachInProgress.map((d) => d.id)).toEqual(['breach-F1']);
  });

  it('documents every new route in /openapi.json, the Signal ones with Prefer and 202', async () => {
    const doc = (
      await get<{ paths: Record<string, { post?: { parameters: { name: string }[]; responses: Record<string, unknown> } }> }>(
        '/openapi.json',
      )
    ).body;
    const routes = [
      'risk',
      'nps-referral',
      'nps-decision',
      'transfers',
      'transfers/decision',
      'transfers/response',
      'court-reports',
      'court-reports/submission',
      'requirements/progress',
      'early-revocation/application',
      'early-revocation/decision',
      'early-termination',
      'enforcement/further-offence',
    ];
    for (const route of routes) expect(doc.paths[`/sentences/{id}/${route}`]?.post, route).toBeDefined();
    for (const route of ['risk', 'transfers']) {
      const op = doc.paths[`/sentences/{id}/${route}`]!.post!;
      expect(op.parameters.map((p) => p.name)).toContain('Prefer');
      expect(Object.keys(op.responses)).toContain('202');
    }
    // Every command takes Prefer: return=representation; only the Signal ones respond-async.
    const prefer = (route: string) =>
      (doc.paths[`/sentences/{id}/${route}`]!.post!.parameters as { name: string; schema?: { enum?: string[] } }[]).find(
        (p) => p.name === 'Prefer',
      )?.schema?.enum;
    expect(prefer('risk')).toEqual(['respond-async', 'return=representation']);
    expect(prefer('nps-decision')).toEqual(['return=representation']);
  });
});
