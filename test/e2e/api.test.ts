// End to end through HTTP: the API in this process, a real worker, and the Temporal dev server (SQLite, random
// free ports, so a running `npm start` is not disturbed). Continue-as-new is made to come quickly by dynamic config.
import { describe, expect, it } from 'vitest';
import { stateQuery, workflowIdFor } from '../../contracts/index.ts';
import { addDays, londonDate, periodEnd } from '../../domain/dates.ts';
import type { SentenceInput } from '../../domain/sentence.ts';
import { baseOffender, communityOrder, suspendedSentence, uniqueId } from '../support/fixtures.ts';
import { recordHistory } from '../support/history.ts';
import { testDeps } from '../support/deps.ts';
import { eventually } from '../support/poll.ts';
import { useApiHarness } from '../support/temporal.ts';
import { httpClient } from '../support/commands.ts';
import { configuredDeps } from '../../activities/index.ts';

// The main job's own wiring (configuredDeps) on this file's store: alerts, the delivery log (no agency endpoint is
// configured, so every notification is held there) and the read model, all in PostgreSQL.
const base = testDeps();
const deps = { ...base, ...configuredDeps(base.store, {}) };
const ctx = useApiHarness(deps, ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=60']);
const today = londonDate(Date.now());

type Body = Record<string, unknown>;
const http = httpClient(
  () => ctx.base,
  () => ctx.token(),
);
const post = (path: string, body?: unknown) => http.post<Body>(path, body ?? {});
const get = (path: string) => http.get<Body>(path);

async function startSentence(s: SentenceInput): Promise<void> {
  const r = await post('/sentences', s);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}

describe('HTTP API against a running worker and dev server', () => {
  it('rejects a malformed or invalid sentence with every problem listed, and starts nothing', async () => {
    expect((await http.send('POST', '/sentences', undefined, {}, '{"sentenceId": ')).status).toBe(400);
    const bad = {
      ...communityOrder(today, periodEnd(today, 12)),
      requirements: [{ type: 'unpaid-work', hours: 500 }],
      caseReference: 'nope',
    };
    const r = await post('/sentences', bad);
    expect(r.status).toBe(400);
    expect(r.body.problems?.map((p) => p.path).sort()).toEqual(['caseReference', 'requirements.0.hours']);
    const future = communityOrder(addDays(today, 2), periodEnd(today, 12));
    const f = await post('/sentences', future);
    expect(f.status).toBe(400);
    expect(f.body.problems?.[0]?.path).toBe('order.sentenceDate');
    expect((await get(`/sentences/${bad.sentenceId}`)).status).toBe(404);
  });

  it('starts a sentence idempotently: same body 200, different body 409', async () => {
    const s = communityOrder(today, periodEnd(today, 12));
    const first = await post('/sentences', s);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ sentenceId: s.sentenceId, workflowId: workflowIdFor(s.sentenceId), phase: 'commenced' });
    // Same content with its keys in another order is the same sentence.
    const reordered = Object.fromEntries(Object.entries(s).reverse());
    const again = await post('/sentences', reordered);
    expect(again.status).toBe(200);
    expect(again.body.workflowId).toBe(first.body.workflowId);
    const different = await post('/sentences', { ...s, requirements: [{ type: 'unpaid-work', hours: 41 }] });
    expect(different.status).toBe(409);
    expect(different.body.error).toMatch(/different body/);
  });

  it('answers a case in brief from the compact query (GET /sentences/:id/summary)', async () => {
    const s = communityOrder(today, periodEnd(today, 12));
    await startSentence(s);
    expect((await post(`/sentences/${s.sentenceId}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    const r = await http.get<Record<string, unknown>>(`/sentences/${s.sentenceId}/summary`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      sentenceId: s.sentenceId,
      phase: 'allocated',
      waitingFor: expect.stringMatching(/^First appointment within 5 business days of sentence, due \d{4}-\d{2}-\d{2}$/),
      nextDeadline: {
        id: 'first-appointment',
        label: 'First appointment within 5 business days of sentence',
        dueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        status: 'pending',
      },
      overdueDeadlines: 0,
      overdueOutputs: 0,
      owner: { providerCode: 'N07', areaCode: 'LDN', offenderManagerId: 'OM1' },
      dates: { sentenceDate: s.order.sentenceDate, orderEnd: (s.order as { endDate: string }).endDate },
      termination: null,
      signalsRejected: 0,
      runs: 0,
    });
    expect(JSON.stringify(r.body).length).toBeLessThan(1_000);
    expect((await get('/sentences/no-such-sentence/summary')).status).toBe(404);
  });

  it('a command answers with what it changed (a JSON Patch of the case), or with the whole case when asked', async () => {
    const s = communityOrder(today, periodEnd(today, 12));
    await startSentence(s);
    const id = s.sentenceId;
    const key = { 'Idempotency-Key': `answer-${id}` };
    const r = await http.post<Body>(`/sentences/${id}/allocation`, { offenderManagerId: 'OM1' }, key);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      sentenceId: id,
      phase: 'allocated',
      command: 'allocate',
      owner: { providerCode: 'N07', areaCode: 'LDN', offenderManagerId: 'OM1' },
    });
    const changes = r.body.changes as { op: string; path: string; value?: unknown }[];
    expect(changes).toContainEqual({ op: 'replace', path: '/phase', value: 'allocated' });
    expect(changes).toContainEqual({ op: 'add', path: '/offenderManagerId', value: 'OM1' });
    expect(changes).toContainEqual({ op: 'add', path: '/milestones/allocatedOn', value: today });
    expect(changes).toContainEqual({
      op: 'add',
      path: expect.stringMatching(/^\/timeline\/[1-9]$/),
      value: expect.objectContaining({ event: 'allocated', detail: `allocated on ${today} to offender manager OM1` }),
    });
    expect(r.body).not.toHaveProperty('timeline');
    expect(JSON.stringify(r.body).length).toBeLessThan(2_500);
    // The same key again: Temporal answers with the first answer, and nothing is applied again.
    const again = await http.post<Body>(`/sentences/${id}/allocation`, { offenderManagerId: 'OM1' }, key);
    expect(again.body).toEqual(r.body);
    const timeline = (await get(`/sentences/${id}`)).body.timeline as { event: string }[];
    expect(timeline.filter((e) => e.event === 'allocated')).toHaveLength(1);
    // Prefer: return=representation answers with the whole case, as GET /sentences/:id.
    const whole = await http.post<Body>(`/sentences/${id}/first-appointment`, {}, { Prefer: 'return=representation' });
    expect(whole.body).toMatchObject({ phase: 'inducted', offenderManagerId: 'OM1', milestones: { firstAppointmentOn: today } });
    expect(whole.body.timeline).toEqual((await get(`/sentences/${id}`)).body.timeline);
  });

  it('answers every error as an RFC 9457 problem with a stable type, each type described at its URI', async () => {
    const raw = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${ctx.base}${path}`, init);
      return { status: res.status, contentType: res.headers.get('content-type'), body: (await res.json()) as Body };
    };
    const authed = { authorization: `Bearer ${await ctx.token()}`, 'content-type': 'application/json' };
    const unauthenticated = await raw('/sentences/X1');
    expect(unauthenticated).toMatchObject({
      status: 401,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: '/problems/unauthenticated', status: 401 },
    });
    expect(await raw('/no/such/route', { headers: authed })).toMatchObject({
      status: 404,
      contentType: 'application/problem+json; charset=utf-8',
      body: { type: '/problems/not-found', status: 404, detail: 'no such route' },
    });
    const invalid = await raw('/sentences', { method: 'POST', headers: authed, body: JSON.stringify({ sentenceId: 'x' }) });
    expect(invalid).toMatchObject({ status: 400, body: { type: '/problems/invalid-request', status: 400, route: 'POST /sentences' } });
    expect((invalid.body.problems as unknown[]).length).toBeGreaterThan(0);

    // A warning the law does not allow (Sch 10/16 para 6(2)): its own type, so a case system can offer the referral.
    const s = communityOrder(addDays(today, -30), periodEnd(today, 12));
    await startSentence(s);
    const id = s.sentenceId;
    await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OMPRB', allocatedOn: addDays(today, -29) });
    for (const [appointmentId, day] of [
      ['w1', addDays(today, -20)],
      ['w2', addDays(today, -10)],
    ] as const) {
      await post(`/sentences/${id}/appointments`, { appointmentId, date: day });
      await post(`/sentences/${id}/appointments/outcome`, { appointmentId, outcome: 'unacceptable-absence', on: day });
    }
    const warned = await post(`/sentences/${id}/enforcement/decision`, {
      appointmentId: 'w1',
      decision: 'warning',
      circumstances: 'missed',
    });
    expect(warned.status).toBe(200);
    const second = await post(`/sentences/${id}/enforcement/decision`, {
      appointmentId: 'w2',
      decision: 'warning',
      circumstances: 'missed',
    });
    expect(second).toMatchObject({
      status: 409,
      body: { type: '/problems/warning-not-allowed', status: 409, route: 'POST /sentences/:id/enforcement/decision' },
    });
    expect(second.body.detail).toMatch(/^a warning is not allowed: /);

    expect(await raw('/problems/warning-not-allowed')).toEqual({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: {
        type: '/problems/warning-not-allowed',
        status: 409,
        title: 'A warning is not allowed now (Sentencing Act 2020 Sch 10/16 para 6): refer the matter instead',
      },
    });
    expect((await raw('/problems/no-such-problem')).status).toBe(404);
    const listed = (await raw('/problems')).body.problems as { type: string }[];
    expect(listed.map((p) => p.type)).toEqual(expect.arrayContaining(['/problems/not-valid-in-phase', '/problems/too-many-requests']));
  });

  it('refuses a requirement the Sentencing Act 2026 adds but that is not yet in force, with the provision (400)', async () => {
    const co = communityOrder(today, periodEnd(today, 12));
    const r = await post('/sentences', { ...co, requirements: [{ type: 'restriction-zone', months: 6 }] });
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain(
      'restriction-zone: a restriction zone requirement (Sch 9 Part 4D) is not yet in force (s.17: ',
    );
    expect((await get(`/sentences/${co.sentenceId}`)).status).toBe(404);
  });

  it('starts an SSO without community requirements and without a supervision period (s.286(2)), and says what applies', async () => {
    const sso = suspendedSentence(today, 12, 6, { requirements: [] });
    const { supervisionPeriodMonths: _none, ...order } = sso.order as Extract<SentenceInput['order'], { type: 'SSO' }>;
    const withPeriod = await post('/sentences', sso);
    expect(withPeriod.status).toBe(400);
    expect(JSON.stringify(withPeriod.body)).toContain('an SSO without community requirements has no supervision period');
    await startSentence({ ...sso, order });
    const view = await get(`/sentences/${sso.sentenceId}`);
    expect(view.body).toMatchObject({ phase: 'commenced', dates: { sentenceDate: today, orderEnd: periodEnd(today, 12) } });
    expect((view.body.dates as Record<string, unknown>).supervisionEnd).toBeUndefined();
    const ledger = (await get(`/sentences/${sso.sentenceId}/outputs`)).body as {
      level: string;
      outputs: { row: number; applies: boolean }[];
    };
    expect(ledger.level).toBe('A');
    expect(ledger.outputs.filter((o) => o.applies).map((o) => o.row)).toEqual([
      1, 3, 4, 5, 6, 12, 13, 16, 17, 21, 22, 24, 26, 27, 28, 35, 36,
    ]);
  });

  it('drives a sentence by commands to closure, with 400, 404 and 409 where they belong', async () => {
    const s = suspendedSentence(today, 12, 6);
    await startSentence(s);
    const id = s.sentenceId;
    const wrong = await post(`/sentences/${id}/plan`);
    // An RFC 9457 problem: the refusal's code as its type, the route (not the command's internal name), where it is valid.
    const detail = 'POST /sentences/:id/plan is not valid in phase commenced (valid in: inducted)';
    expect(wrong).toEqual({
      status: 409,
      body: {
        type: '/problems/not-valid-in-phase',
        title: "The command is not valid in the case's phase: validIn lists where it is",
        status: 409,
        detail,
        error: detail,
        route: 'POST /sentences/:id/plan',
        validIn: ['inducted'],
      },
    });
    expect((await post(`/sentences/${id}/allocation`, { offenderManagerId: 'has space' })).status).toBe(400);
    expect((await post(`/sentences/nobody-1/allocation`, { offenderManagerId: 'OM1' })).status).toBe(404);
    expect((await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OM7' })).body.phase).toBe('allocated');
    expect((await post(`/sentences/${id}/first-appointment`, { heldOn: today })).body.phase).toBe('inducted');
    expect((await post(`/sentences/${id}/plan`, {})).body.phase).toBe('plan-agreed');
    expect((await post(`/sentences/${id}/significant-changes`, { changeCode: 'ADDRESS' })).status).toBe(200);
    expect((await post(`/sentences/${id}/reviews`, {})).body.phase).toBe('supervision');

    const view = await get(`/sentences/${id}`);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ phase: 'supervision', offenderManagerId: 'OM7', overdue: false });
    const deadlines = view.body.deadlines as { id: string; status: string; dueDate: string }[];
    expect(deadlines.map((d) => [d.id, d.status])).toEqual([
      ['first-appointment', 'met'],
      ['plan', 'met'],
      ['review-1', 'met'],
      ['significant-change-review-1', 'met'],
      ['review-2', 'pending'],
    ]);

    // An order ends early only by a route the law gives (issue 12): a bare early termination is refused with them.
    const bare = await post(`/sentences/${id}/termination`, { reason: 'early-termination' });
    expect(bare.status).toBe(409);
    expect(bare.body.error).toMatch(/^an order ends early only by the court .*Sentencing Act 2026 ss\.38-39/);
    expect(bare.body.type).toBe('/problems/termination-route-not-lawful');
    expect((await post(`/sentences/${id}/termination`, { reason: 'revoked' })).body.phase).toBe('terminated');
    expect((await post(`/sentences/${id}/termination`, { reason: 'revoked' })).status).toBe(409);
    expect((await post(`/sentences/${id}/end-of-sentence-review`, {})).body.phase).toBe('closed');
    await ctx.env.client.workflow.getHandle(workflowIdFor(id)).result();
    const closed = await post(`/sentences/${id}/reviews`, {});
    expect(closed.status).toBe(409);
    expect(closed.body.error).toMatch(/closed/);
    expect((await get(`/sentences/${id}`)).body.phase).toBe('closed');
  });

  it('lists sentences by search attributes: phase, offender manager, area, overdue, next deadline', async () => {
    const area = uniqueId('A').replace(/-/g, '').slice(0, 12);
    const a = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('LA'),
      provider: { providerCode: 'N07', areaCode: area },
    });
    const b = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('LB'),
      provider: { providerCode: 'N07', areaCode: area },
    });
    // Sentenced three weeks ago and never seen: the first appointment is already overdue.
    const late = communityOrder(addDays(today, -21), periodEnd(today, 12), {
      sentenceId: uniqueId('LC'),
      provider: { providerCode: 'N07', areaCode: area },
    });
    for (const s of [a, b, late]) await startSentence(s);
    await post(`/sentences/${a.sentenceId}/allocation`, { offenderManagerId: 'OMLIST' });

    const ids = async (query: string) => {
      const r = await get(`/sentences?area=${area}${query}`);
      expect(r.status).toBe(200);
      return (r.body.items as { sentenceId: string }[]).map((i) => i.sentenceId).sort();
    };
    const all = [a, b, late].map((s) => s.sentenceId).sort();
    await eventually(
      () => ids(''),
      (v) => v.length === 3,
      'three listed',
    );
    await eventually(
      () => ids('&phase=allocated'),
      (v) => v.join() === a.sentenceId,
      'phase filter',
    );
    await eventually(
      () => ids('&offenderManager=OMLIST'),
      (v) => v.join() === a.sentenceId,
      'offender manager filter',
    );
    await eventually(
      () => ids('&overdue=true'),
      (v) => v.join() === late.sentenceId,
      'overdue filter',
    );
    expect(await ids('&overdue=false')).toEqual([a.sentenceId, b.sentenceId].sort());
    expect(await ids(`&nextDeadlineBefore=${addDays(today, -1)}`)).toEqual([late.sentenceId]);
    expect(await ids(`&nextDeadlineBefore=${addDays(today, 30)}`)).toEqual(all);
    expect((await get('/sentences?phase=sleeping')).status).toBe(400);
    expect((await get(`/sentences?area=${area}&limit=0`)).status).toBe(400);
    await eventually(
      async () => (await deps.store.alerts.list(late.sentenceId)).filter((x) => x.kind === 'deadline-overdue').length,
      (n) => n === 1,
      'overdue alert',
    );
  });

  it('continues as new under load without losing a command', async () => {
    const area = uniqueId('A').replace(/-/g, '');
    const s = communityOrder(today, periodEnd(today, 24), { provider: { providerCode: 'N07', areaCode: area } });
    await startSentence(s);
    const id = s.sentenceId;
    await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OMCAN' });
    await post(`/sentences/${id}/first-appointment`, {});
    await post(`/sentences/${id}/plan`, {});
    const handle = ctx.env.client.workflow.getHandle(workflowIdFor(id));
    const firstRun = (await handle.describe()).runId;

    const N = 24;
    const replies = await Promise.all(
      Array.from({ length: N }, (_, i) => post(`/sentences/${id}/significant-changes`, { changeCode: `C${i}` })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(N).fill(200));
    for (let i = 0; i < 3; i++) expect((await post(`/sentences/${id}/reviews`, {})).status).toBe(200);

    // The run continues as new once its side effects in flight have finished: on a busy machine that takes a while.
    const state = await eventually(
      () => handle.query(stateQuery),
      (st) => st.runs >= 2 && st.reviewsCompleted === 3,
      'continued as new',
      600,
    );
    expect(state.significantChanges).toBe(N);
    expect(
      state.timeline
        .filter((e) => e.event === 'significant-change')
        .map((e) => e.detail.split(' ')[2])
        .sort(),
    ).toEqual(Array.from({ length: N }, (_, i) => `C${i}`).sort());
    expect(state.reviewsCompleted).toBe(3);
    const d = await handle.describe();
    expect(d.runId).not.toBe(firstRun);
    expect((await d.memo)?.inputHash).toBeTruthy();
    expect((await get(`/sentences/${id}`)).body.phase).toBe('supervision');
    // The same start request still answers 200 after continue-as-new (the fingerprint travels in the memo).
    expect((await post('/sentences', s)).status).toBe(200);
    // Listed once: the runs it continued as new from are not sentences.
    const listed = await eventually(
      () => get(`/sentences?area=${area}`),
      (r) => (r.body.items as unknown[]).length >= 1,
      'listed',
    );
    expect((listed.body.items as { sentenceId: string; status: string }[]).map((i) => [i.sentenceId, i.status])).toEqual([[id, 'RUNNING']]);
    await recordHistory('e2e-continue-as-new', ctx.env.client, handle.workflowId, firstRun);
  });

  it('applies a command retried with the same Idempotency-Key once, across continue-as-new', async () => {
    const s = communityOrder(today, periodEnd(today, 12));
    await startSentence(s);
    const id = s.sentenceId;
    await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OMIDEM' });
    await post(`/sentences/${id}/first-appointment`, {});
    await post(`/sentences/${id}/plan`, {});
    const key = { 'Idempotency-Key': `review-${id}-1` };
    const first = await http.send('POST', `/sentences/${id}/reviews`, {}, key);
    expect(first.status).toBe(200);
    // The review made the workflow continue as new; the retry reaches the new run and is still recognised.
    const handle = ctx.env.client.workflow.getHandle(workflowIdFor(id));
    await eventually(
      () => handle.query(stateQuery),
      (st) => st.runs >= 1,
      'continued as new after the review',
    );
    const retry = await http.send('POST', `/sentences/${id}/reviews`, {}, key);
    expect(retry.status).toBe(200);
    const state = await handle.query(stateQuery);
    expect(state.reviewsCompleted).toBe(1);
    expect(state.timeline.filter((e) => e.event === 'review-completed')).toHaveLength(1);
    const bad = await http.send('POST', `/sentences/${id}/reviews`, {}, { 'Idempotency-Key': 'not ok!' });
    expect(bad.status).toBe(400);
    expect(bad.body.problems?.[0]?.path).toBe('Idempotency-Key');
    // The same key with another body is another command: refused, not answered with the first one's outcome.
    const reused = await http.send('POST', `/sentences/${id}/reviews`, { objectivesMet: true }, key);
    expect([reused.status, reused.body.error]).toEqual([
      422,
      `Idempotency-Key review-${id}-1 was first used with a different complete-review body: a new command needs a new key`,
    ]);
    // Keys are per case and command: the same key on another command is its own.
    const other = await http.send('POST', `/sentences/${id}/significant-changes`, { changeCode: 'moved' }, key);
    expect(other.status).toBe(200);
  });

  it('serves the outputs ledger and records evidence, with 400 and 409 where they belong', async () => {
    const s = communityOrder(today, periodEnd(today, 12), { offender: { ...baseOffender, sex: 'female' } });
    await startSentence(s);
    const id = s.sentenceId;
    const ledger = async () =>
      (await get(`/sentences/${id}/outputs`)).body as unknown as {
        level: string;
        counts: Record<string, number>;
        outputs: { row: number; applies: boolean; status: string; summary: string; type: string; evidence: { by: string }[] }[];
      };
    const first = await eventually(ledger, (l) => l.outputs.find((o) => o.row === 1)?.status === 'done', 'row 1 delivered');
    // With no case-system endpoint configured, the case-created notification is held in the delivery log, once.
    const deliveries = await get(`/deliveries?sentenceId=${id}`);
    expect(deliveries.status).toBe(200);
    expect(
      (deliveries.body.items as { idempotencyKey: string; recipient: string; channel: string; status: string }[]).map((d) => [
        d.idempotencyKey,
        d.recipient,
        d.channel,
        d.status,
      ]),
    ).toEqual([[`${workflowIdFor(id)}/output/1`, 'case-system', 'held', 'held']]);
    expect((await get('/deliveries?sentenceId=bad%20id')).status).toBe(400);
    // Metrics: requests by route pattern (never by id) and the store's figures, read at the scrape.
    const metrics = await (
      await fetch(`${ctx.base}/metrics`, { headers: { authorization: `Bearer ${await ctx.token('operator')}` } })
    ).text();
    expect(metrics).toMatch(/^so_http_requests_total\{method="POST",route="\/sentences",status="201"\} \d+$/m);
    expect(metrics).toMatch(/^so_http_requests_total\{method="GET",route="\/sentences\/:id\/outputs",status="200"\} \d+$/m);
    expect(metrics).not.toContain(id);
    expect(metrics).toMatch(/^so_sentences\{phase="commenced"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^so_deliveries\{status="held"\} [1-9]\d*$/m);
    expect(metrics).toMatch(/^so_store_figures_read 1$/m);
    expect(metrics).toMatch(/^so_alerts_unacknowledged \d+$/m);
    expect((await get('/deliveries')).status).toBe(400);
    expect(first.level).toBe('C');
    expect(first.outputs).toHaveLength(36);
    expect(first.outputs.find((o) => o.row === 4)).toMatchObject({ applies: true, type: 'A', status: 'due' });
    expect(first.counts['not-applicable']).toBeGreaterThan(0);

    const ok = await post(`/sentences/${id}/outputs/evidence`, {
      row: 4,
      by: 'OM5',
      what: 'offered',
      details: { choice: 'no-preference' },
    });
    expect(ok.status).toBe(200);
    expect((await ledger()).outputs.find((o) => o.row === 4)).toMatchObject({
      status: 'done',
      evidence: [expect.objectContaining({ by: 'OM5' })],
    });
    expect((await post(`/sentences/${id}/outputs/evidence`, { row: 36, by: 'OM5', what: 'closed' })).status).toBe(409);
    expect(
      (await post(`/sentences/${id}/outputs/evidence`, { row: 14, by: 'OM5', what: 'x', details: { safetyPlanOffered: true } })).body.error,
    ).toMatch(/^output 14 does not apply to this case: not recorded as vulnerable/);
    expect((await post(`/sentences/${id}/outputs/evidence`, { row: 40, by: 'OM5', what: 'x' })).status).toBe(400);
    expect((await post(`/sentences/${id}/outputs/not-possible`, { row: 13, by: 'OM5', reason: '' })).status).toBe(400);
    const changed = await post(`/sentences/${id}/circumstances`, { offender: { vulnerableToVictimisation: true } });
    expect(changed.status).toBe(200);
    expect((await ledger()).outputs.find((o) => o.row === 14)).toMatchObject({ applies: true });
    expect((await get('/sentences/nobody-2/outputs')).status).toBe(404);
  });

  it('reports conformance per output row across a population, matching counts computed independently', async () => {
    const area = uniqueId('R').replace(/-/g, '').slice(0, 12);
    const provider = { providerCode: 'N09', areaCode: area };
    const rar = [{ type: 'rehabilitation-activity' as const, maxDays: 10 }];
    const population: SentenceInput[] = [
      ...Array.from({ length: 4 }, () =>
        communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('PC'), provider, requirements: rar }),
      ),
      ...Array.from({ length: 3 }, () =>
        communityOrder(today, periodEnd(today, 12), {
          sentenceId: uniqueId('PF'),
          provider,
          requirements: [{ type: 'unpaid-work', hours: 80 }],
          offender: { ...baseOffender, sex: 'female' },
        }),
      ),
      ...Array.from({ length: 2 }, () =>
        communityOrder(today, periodEnd(today, 6), {
          sentenceId: uniqueId('PE'),
          provider,
          requirements: [{ type: 'curfew', hoursPerDay: 8, daysPerWeek: 7, months: 6 }],
          responsibleOfficer: 'em-provider',
        }),
      ),
      ...Array.from({ length: 2 }, () =>
        suspendedSentence(today, 12, 6, { sentenceId: uniqueId('PS'), provider, offender: { ...baseOffender, roshLevel: 'high' } }),
      ),
      ...Array.from({ length: 2 }, () =>
        communityOrder(addDays(today, -20), periodEnd(today, 12), { sentenceId: uniqueId('PP'), provider, requirements: rar }),
      ),
    ];
    for (const p of population) await startSentence(p);
    const females = population.filter((p) => p.offender.sex === 'female');
    for (const f of females.slice(0, 2)) {
      expect(
        (
          await post(`/sentences/${f.sentenceId}/outputs/evidence`, {
            row: 4,
            by: 'OM1',
            what: 'offered',
            details: { choice: 'female-om' },
          })
        ).status,
      ).toBe(200);
    }
    expect(
      (await post(`/sentences/${population[0]!.sentenceId}/outputs/not-possible`, { row: 12, by: 'OM1', reason: 'records unavailable' }))
        .status,
    ).toBe(200);

    // Wait until every system delivery has settled, so that nothing moves while the report is read.
    type Ledger = { outputs: { row: number; applies: boolean; status: string; trigger?: string }[] };
    const ledgers = async () =>
      Promise.all(population.map(async (p) => (await get(`/sentences/${p.sentenceId}/outputs`)).body as unknown as Ledger));
    const settled = await eventually(
      ledgers,
      (ls) =>
        ls.every((l) =>
          l.outputs.filter((o) => [1, 2].includes(o.row) && o.applies).every((o) => o.status === 'done' || o.status === 'late'),
        ),
      'deliveries settled',
    );
    type Report = { cases: number; rows: Record<string, number>[] };
    const strip = (r: Report) =>
      r.rows.map(({ row, applied, onTime, late, overdue, notPossible, open }) => ({
        row,
        applied,
        onTime,
        late,
        overdue,
        notPossible,
        open,
      }));
    // The authoritative report reads every workflow; the read model (default) must come to agree with it.
    const report = await eventually(
      async () => (await get(`/reports/conformance?area=${area}&source=workflows`)).body as unknown as Report,
      (r) => r.cases === population.length,
      'all cases listed',
    );
    const fromReadModel = await eventually(
      async () => (await get(`/reports/conformance?area=${area}`)).body as unknown as Report,
      (r) => r.cases === population.length && JSON.stringify(strip(r)) === JSON.stringify(strip(report)),
      'read model caught up',
    );
    expect(strip(fromReadModel)).toEqual(strip(report));

    // Independent count: a plain loop over each case's own ledger.
    const expected = Array.from({ length: 36 }, (_, i) => ({
      row: i + 1,
      applied: 0,
      onTime: 0,
      late: 0,
      overdue: 0,
      notPossible: 0,
      open: 0,
    }));
    for (const l of settled) {
      for (const o of l.outputs) {
        if (!o.applies || (o.trigger && o.status === 'pending')) continue;
        const e = expected[o.row - 1]!;
        e.applied += 1;
        if (o.status === 'done') e.onTime += 1;
        else if (o.status === 'late') e.late += 1;
        else if (o.status === 'overdue' || o.status === 'action-needed') e.overdue += 1;
        else if (o.status === 'not-possible') e.notPossible += 1;
        else e.open += 1;
      }
    }
    expect(strip(report)).toEqual(expected);

    // And what the population was built to show, by hand.
    const byRow = (n: number) => report.rows[n - 1]!;
    expect(byRow(1)).toMatchObject({ applied: 13, onTime: 11, late: 2 }); // the case record of a sentence started 20 days late is late
    expect(byRow(4)).toMatchObject({ applied: 3, onTime: 2, open: 1 });
    expect(byRow(11).applied).toBe(2); // high RoSH with a rehabilitative requirement
    expect(byRow(20).applied).toBe(8); // Type C: RAR orders (4 + 2 SSO + 2 past-dated)
    expect(byRow(8).applied).toBe(11); // Type B and C: not the 2 EM-provider cases
    expect(byRow(12)).toMatchObject({ applied: 11, notPossible: 1 });
    expect(byRow(6)).toMatchObject({ applied: 13, overdue: 2 }); // the two sentenced 20 days ago, never inducted

    for (const source of ['workflows', 'read-model']) {
      const sso = (await get(`/reports/conformance?area=${area}&orderType=SSO&source=${source}`)).body as unknown as { cases: number };
      expect(sso.cases).toBe(2);
      const recent = (await get(`/reports/conformance?area=${area}&from=${today}&source=${source}`)).body as unknown as { cases: number };
      expect(recent.cases).toBe(11);
      const provider = (await get(`/reports/conformance?area=${area}&provider=N01&source=${source}`)).body as unknown as { cases: number };
      expect(provider.cases).toBe(0);
    }
    expect((await get(`/reports/conformance?from=${today}&to=${addDays(today, -1)}`)).status).toBe(400);
  });

  it('records appointments and enforcement through HTTP, refusing a second warning within 12 months (409)', async () => {
    const s = communityOrder(addDays(today, -60), periodEnd(today, 12));
    await startSentence(s);
    const id = s.sentenceId;
    await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OMENF', allocatedOn: addDays(today, -59) });
    for (const [appointmentId, date] of [
      ['e1', addDays(today, -50)],
      ['e2', addDays(today, -10)],
    ] as const) {
      expect((await post(`/sentences/${id}/appointments`, { appointmentId, date })).status).toBe(200);
      expect(
        (await post(`/sentences/${id}/appointments/outcome`, { appointmentId, outcome: 'unacceptable-absence', on: date })).status,
      ).toBe(200);
    }
    expect(
      (
        await post(`/sentences/${id}/enforcement/decision`, {
          appointmentId: 'e1',
          decision: 'warning',
          circumstances: 'did not attend and gave no reason',
          on: addDays(today, -50),
        })
      ).status,
    ).toBe(200);
    const refused = await post(`/sentences/${id}/enforcement/decision`, {
      appointmentId: 'e2',
      decision: 'warning',
      circumstances: 'did not attend and gave no reason',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(
      /^a warning is not allowed: a warning was given on \d{4}-\d{2}-\d{2}, within the 12 months before this decision on \d{4}-\d{2}-\d{2} \(Sentencing Act 2020 Sch 10 para 6\(2\)\): the matter must be referred to an enforcement officer$/,
    );
    expect((await post(`/sentences/${id}/appointments/outcome`, { appointmentId: 'e1', outcome: 'maybe' })).status).toBe(400);
    expect((await post(`/sentences/${id}/enforcement/decision`, { appointmentId: 'e2', decision: 'referral' })).status).toBe(200);
    const view = (await get(`/sentences/${id}`)).body as {
      compliance: { failuresInLast12Months: number; liveWarnings: unknown[]; breachInProgress: { dueDate: string }[] };
    };
    expect(view.compliance.failuresInLast12Months).toBe(2);
    expect(view.compliance.liveWarnings).toHaveLength(1);
    expect(view.compliance.breachInProgress).toHaveLength(1);

    // A failure reported by the system that knows (rules 2): refused for a requirement the order lacks; taken as a
    // Signal (sent and left) for its unpaid work, it awaits the officer's decision like a missed appointment.
    const failure = { failureId: 'pl-1', occurredOn: addDays(today, -1), reportedBy: 'CPAYBACK' };
    const lacking = await post(`/sentences/${id}/enforcement/failures`, { ...failure, source: 'drug-test-failed' });
    expect(lacking).toMatchObject({
      status: 409,
      body: { error: 'drug-test-failed breaks a drug-rehabilitation requirement, and the order has none' },
    });
    const sent = await http.post(
      `/sentences/${id}/enforcement/failures`,
      { ...failure, source: 'placement-removal' },
      { Prefer: 'respond-async' },
    );
    expect(sent.status).toBe(202);
    const after = await eventually(
      async () => (await get(`/sentences/${id}`)).body as { compliance: { awaitingDecision: string[] } },
      (v) => v.compliance.awaitingDecision.includes('pl-1'),
      'the reported failure awaiting a decision',
    );
    expect(after.compliance.awaitingDecision).toEqual(['pl-1']);
  });

  it("puts a decision off for a response and accepts its excuse, refuses a warning without its circumstances, and takes an absence's evidence (rules 2)", async () => {
    const s = communityOrder(addDays(today, -30), periodEnd(today, 12));
    await startSentence(s);
    const id = s.sentenceId;
    await post(`/sentences/${id}/allocation`, { offenderManagerId: 'OMPEN', allocatedOn: addDays(today, -29) });
    const day = addDays(today, -1);
    await post(`/sentences/${id}/appointments`, { appointmentId: 'r1', date: day });
    await post(`/sentences/${id}/appointments/outcome`, { appointmentId: 'r1', outcome: 'unacceptable-absence', on: day });
    expect(await post(`/sentences/${id}/enforcement/decision`, { appointmentId: 'r1', decision: 'warning' })).toMatchObject({
      status: 409,
      body: {
        error:
          'a warning describes the circumstances of the failure (Sentencing Act 2020 Sch 10/16 para 6(4)(a)): circumstances, 1-500 characters',
      },
    });
    const tooLate = await post(`/sentences/${id}/enforcement/decision`, {
      appointmentId: 'r1',
      decision: 'pending-response',
      responseDueOn: addDays(today, 60),
    });
    expect(tooLate.status).toBe(409);
    expect(tooLate.body.error).toMatch(
      /^responseDueOn must fall after \d{4}-\d{2}-\d{2} and no later than \d{4}-\d{2}-\d{2}, the day breach action would be due/,
    );
    const responseDueOn = addDays(today, 2);
    const pending = await post(`/sentences/${id}/enforcement/decision`, {
      appointmentId: 'r1',
      decision: 'pending-response',
      responseDueOn,
    });
    expect(pending.status).toBe(200);
    const view = (await get(`/sentences/${id}`)).body as { compliance: { awaitingDecision: string[]; awaitingResponse: unknown[] } };
    expect(view.compliance.awaitingDecision).toEqual(['r1']);
    expect(view.compliance.awaitingResponse).toEqual([{ failureId: 'r1', responseDueOn }]);
    // The response shows a reasonable excuse: accepted, no breach, the failure no longer counted.
    expect((await post(`/sentences/${id}/enforcement/decision`, { appointmentId: 'r1', decision: 'excuse-accepted' })).status).toBe(200);
    const excused = (await get(`/sentences/${id}`)).body as {
      compliance: { awaitingDecision: string[]; awaitingResponse: unknown[]; failuresInLast12Months: number };
    };
    expect(excused.compliance).toMatchObject({ awaitingDecision: [], awaitingResponse: [], failuresInLast12Months: 0 });

    await post(`/sentences/${id}/appointments`, { appointmentId: 'r2', date: day });
    await post(`/sentences/${id}/appointments/outcome`, { appointmentId: 'r2', outcome: 'acceptable-absence', reason: 'unwell', on: day });
    const evidence = { appointmentId: 'r2', reference: 'GP-NOTE-3', by: 'OMPEN' };
    expect((await post(`/sentences/${id}/appointments/absence-evidence`, evidence)).status).toBe(200);
    expect(await post(`/sentences/${id}/appointments/absence-evidence`, evidence)).toMatchObject({
      status: 409,
      body: { error: `the evidence for appointment r2 was received on ${today}` },
    });
    expect((await post(`/sentences/${id}/appointments/absence-evidence`, { appointmentId: 'r2', by: 'OMPEN' })).status).toBe(400);
  });

  it('serves an OpenAPI document generated from the schemas', async () => {
    const r = await get('/openapi.json');
    expect(r.status).toBe(200);
    const doc = r.body as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/sentences', '/sentences/{id}', '/sentences/{id}/allocation', '/sentences/{id}/end-of-sentence-review']),
    );
    expect(Object.keys(doc.components.schemas.SentenceInput?.properties ?? {})).toEqual(
      expect.arrayContaining(['sentenceId', 'caseReference', 'order', 'requirements', 'offender', 'provider', 'responsibleOfficer']),
    );
  });
});
