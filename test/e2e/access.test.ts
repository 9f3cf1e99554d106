// Who may do what, through HTTP with real tokens from the embedded identity provider: the authorisation matrix (every
// route and every command × every demo principal and no token, each expected status written out by hand below, not
// derived from auth/policy.ts), and the token edge cases, each a 401 with its RFC 6750 challenge.
import { importJWK, SignJWT, generateKeyPair, exportSPKI, type JWK } from 'jose';
import { createHmac } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HTTP_COMMANDS } from '../../api/commands.ts';
import { COMMAND_TYPES, type CommandType } from '../../domain/commands.ts';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { testDeps } from '../support/deps.ts';
import { baseOffender, communityOrder, uniqueId } from '../support/fixtures.ts';
import { useApiHarness } from '../support/temporal.ts';
import { eventually } from '../support/poll.ts';
import { fileURLToPath } from 'node:url';
import { initialSearchAttributes, newSentenceInput, workflowIdFor } from '../../contracts/index.ts';
import { createWorker } from '../../worker/worker.ts';
import { testDataConverter } from '../support/codec.ts';

const deps = testDeps();
const ctx = useApiHarness(deps);
const WHO = ['anon', 'practitioner-ldn', 'practitioner-knt', 'spo-ldn', 'case-system', 'nps-officer', 'auditor', 'operator'] as const;
type Who = (typeof WHO)[number];
const today = londonDate(Date.now());
const inLondon = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('LDN'),
  provider: { providerCode: 'N07', areaCode: 'LDN' },
});
const inKent = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('KNT'),
  provider: { providerCode: 'N07', areaCode: 'KNT' },
});
// Limited-access cases in London: one only OM1 may see, one OM1 must never see.
const restricted = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('RES'),
  provider: { providerCode: 'N07', areaCode: 'LDN' },
  access: { restrictedTo: ['OM1'] },
});
const excluded = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('EXC'),
  provider: { providerCode: 'N07', areaCode: 'LDN' },
  access: { excluded: ['OM1'] },
});
const L = inLondon.sentenceId;
const K = inKent.sentenceId;
// Started by another client (the all-roles test service): the case system does not read it.
const byOther = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('OTH'),
  provider: { providerCode: 'N07', areaCode: 'LDN' },
});
const O = byOther.sentenceId;
const R = restricted.sentenceId;
const X = excluded.sentenceId;

async function call(who: Who | 'spo-knt', method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (who !== 'anon') headers.authorization = `Bearer ${await ctx.token(who)}`;
  const res = await fetch(`${ctx.base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  await res.text();
  return res;
}

/** The sentence ids the caller's list shows. */
async function list(w: Who): Promise<string[]> {
  const res = await fetch(`${ctx.base}/sentences?limit=200`, { headers: { authorization: `Bearer ${await ctx.token(w)}` } });
  return ((await res.json()) as { items: { sentenceId: string }[] }).items.map((i) => i.sentenceId);
}

beforeAll(async () => {
  for (const s of [inLondon, inKent, restricted, excluded]) expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
  const other = await fetch(`${ctx.base}/sentences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token()}` },
    body: JSON.stringify(byOther),
  });
  expect(other.status).toBe(201);
});

/** Reads, by hand. Columns: anon, practitioner-ldn, practitioner-knt, spo-ldn, case-system, nps-officer, auditor, operator. */
const READS: [string, string, () => unknown, string][] = [
  ['GET', '/metrics', () => undefined, '401 403 403 403 403 403 403 200'],
  ['GET', '/sentences', () => undefined, '401 200 200 200 403 200 403 403'],
  ['GET', '/reports/conformance', () => undefined, '401 403 403 200 403 403 200 403'],
  ['GET', `/deliveries?sentenceId=${L}`, () => undefined, '401 200 404 200 403 403 403 403'],
  ['GET', `/sentences/${L}`, () => undefined, '401 200 404 200 200 200 403 403'],
  ['GET', `/sentences/${L}/outputs`, () => undefined, '401 200 404 200 403 200 200 403'],
  ['GET', `/sentences/${L}/summary`, () => undefined, '401 200 404 200 200 200 403 403'],
  ['GET', `/sentences/${R}/summary`, () => undefined, '401 200 404 404 200 404 403 403'],
  ['GET', `/sentences/${K}`, () => undefined, '401 404 200 404 200 200 403 403'],
  ['GET', '/sentences/no-such-sentence', () => undefined, '401 404 404 404 404 404 403 403'],
  ['GET', `/sentences/${O}`, () => undefined, '401 200 404 200 404 200 403 403'],
  ['POST', `/sentences/${O}/risk`, () => ({ notAField: true }), '401 400 400 400 400 403 403 403'],
  ['GET', `/sentences/${R}`, () => undefined, '401 200 404 404 200 404 403 403'],
  ['GET', `/sentences/${X}`, () => undefined, '401 404 404 200 200 200 403 403'],
  ['GET', `/sentences/${R}/outputs`, () => undefined, '401 200 404 404 403 404 404 403'],
  ['POST', `/sentences/${X}/appointments`, () => ({ notAField: true }), '401 400 400 400 403 403 403 403'],
  ['POST', '/codec/decode', () => ({ payloads: [] }), '401 403 403 403 403 403 403 200'],
  ['POST', '/codec/encode', () => ({ payloads: [] }), '401 403 403 403 403 403 403 200'],
  ['GET', '/audit', () => undefined, '401 403 403 403 403 403 200 403'],
  ['GET', '/worklist', () => undefined, '401 200 200 200 403 403 403 403'],
  ['GET', '/caseload', () => undefined, '401 200 200 200 403 403 403 403'],
  ['GET', '/team', () => undefined, '401 403 403 200 403 403 403 403'],
  ['GET', '/alerts', () => undefined, '401 200 200 200 403 403 403 403'],
  ['GET', `/sentences/${L}/letters/warning/A1`, () => undefined, '401 404 404 404 403 403 403 403'],
  ['POST', `/sentences/${L}/alerts/acknowledgement`, () => ({}), '401 400 404 400 403 403 403 403'],
  ['GET', '/health/ready', () => undefined, '200 200 200 200 200 200 200 200'],
  ['GET', '/openapi.json', () => undefined, '200 200 200 200 200 200 200 200'],
];

/**
 * Each command on the London case with a body the command refuses (an unknown field): 400 means the caller got past
 * authentication and the role check (a body is judged before the case is looked up: the same for any case, so it
 * tells nothing of one outside the scope); 403 a right the role lacks; 404 a case outside the scope. A valid command
 * from outside the scope is answered 404 by the workflow itself (below, "a command from a caller who may not see").
 */
const COMMANDS: Record<CommandType, string> = {
  allocate: '401 403 403 400 403 403 403 403',
  'record-first-appointment': '401 400 400 400 403 403 403 403',
  'complete-plan': '401 400 400 400 403 403 403 403',
  'complete-review': '401 400 400 400 403 403 403 403',
  'record-significant-change': '401 400 400 400 403 403 403 403',
  terminate: '401 400 400 400 403 403 403 403',
  'complete-end-of-sentence-review': '401 400 400 400 403 403 403 403',
  'record-output-evidence': '401 400 400 400 403 403 403 403',
  'record-output-not-possible': '401 400 400 400 403 403 403 403',
  'change-circumstances': '401 400 400 400 403 403 403 403',
  'record-child-wellbeing-information': '401 400 400 400 403 403 403 403',
  'refer-to-nps': '401 400 400 400 403 403 403 403',
  'record-appointment': '401 400 400 400 403 403 403 403',
  'record-appointment-outcome': '401 400 400 400 403 403 403 403',
  'record-enforcement-decision': '401 400 400 400 403 403 403 403',
  'record-breach-action': '401 400 400 400 403 403 403 403',
  'record-court-outcome': '401 400 400 400 403 403 403 403',
  'record-further-offence': '401 400 400 400 403 403 403 403',
  'record-failure-to-comply': '401 400 400 400 400 403 403 403',
  'withdraw-warning': '401 400 400 400 403 403 403 403',
  'record-absence-evidence': '401 400 400 400 403 403 403 403',
  'record-risk-information': '401 400 400 400 400 403 403 403',
  'record-nps-decision': '401 403 403 403 403 400 403 403',
  'request-transfer': '401 400 400 400 400 403 403 403',
  'decide-transfer': '401 403 403 400 403 403 403 403',
  'respond-to-transfer': '401 403 403 400 403 403 403 403',
  'request-court-report': '401 400 400 400 403 403 403 403',
  'submit-court-report': '401 400 400 400 403 403 403 403',
  'record-requirement-progress': '401 400 400 400 403 403 403 403',
  'apply-for-early-revocation': '401 400 400 400 403 403 403 403',
  'record-revocation-decision': '401 400 400 400 403 403 403 403',
  'end-order-by-officer': '401 400 400 400 403 403 403 403',
  'set-case-access': '401 403 403 400 403 403 403 403',
};

describe('the authorisation matrix', () => {
  it('covers every command', () => {
    expect(Object.keys(COMMANDS).sort()).toEqual([...COMMAND_TYPES].sort());
  });

  it('answers each read as written, for every principal', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const [method, path, body, row] of READS) {
      const statuses = await Promise.all(WHO.map(async (w) => (await call(w, method, path, body())).status));
      got.push(`${method} ${path} ${statuses.join(' ')}`);
      want.push(`${method} ${path} ${row}`);
    }
    expect(got).toEqual(want);
  });

  it('starts a sentence only for the case system, and only within its scope', async () => {
    const fresh = () =>
      communityOrder(today, periodEnd(today, 12), { sentenceId: uniqueId('NEW'), provider: { providerCode: 'N07', areaCode: 'LDN' } });
    const statuses = [];
    for (const w of WHO) statuses.push((await call(w, 'POST', '/sentences', fresh())).status);
    expect(statuses.join(' ')).toBe('401 403 403 403 201 403 403 403');
  });

  it('answers the same start again with the case only to a caller who may read it', async () => {
    const res = await fetch(`${ctx.base}/sentences`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` },
      body: JSON.stringify(byOther), // started by another client: the case system does not read it
    });
    expect([res.status, ((await res.json()) as { error?: string }).error]).toEqual([409, `sentence ${O} already exists`]);
    const mine = await call('case-system', 'POST', '/sentences', inLondon);
    expect(mine.status).toBe(200);
  });

  it('answers each command as written, for every principal', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const type of COMMAND_TYPES) {
      const path = `/sentences/${L}/${HTTP_COMMANDS[type].route}`;
      const statuses = await Promise.all(WHO.map(async (w) => (await call(w, 'POST', path, { notAField: true })).status));
      got.push(`${type} ${statuses.join(' ')}`);
      want.push(`${type} ${COMMANDS[type]}`);
    }
    expect(got).toEqual(want);
  });

  it('lists only the cases in the caller\u2019s areas', async () => {
    const [ldn, knt, nps] = [await list('practitioner-ldn'), await list('practitioner-knt'), await list('nps-officer')];
    expect(ldn).toContain(L);
    expect(ldn).not.toContain(K);
    // Limited access: the restricted case only to OM1, the excluded one never to OM1.
    expect(ldn).toContain(R);
    expect(ldn).not.toContain(X);
    const spo = await list('spo-ldn');
    expect(spo).toContain(X);
    expect(spo).not.toContain(R);
    expect(nps).not.toContain(R);
    expect(knt).toContain(K);
    expect(knt).not.toContain(L);
    expect(nps).toEqual(expect.arrayContaining([L, K]));
  });

  it('gives an auditor the outputs ledger without what the evidence says', async () => {
    type Ledger = { outputs: { row: number; evidence: Record<string, unknown>[] }[] };
    const read = async (w: Who) =>
      (await (
        await fetch(`${ctx.base}/sentences/${L}/outputs`, { headers: { authorization: `Bearer ${await ctx.token(w)}` } })
      ).json()) as Ledger;
    // Row 1 (the case created, told to the case system) is evidenced by the system once the delivery is logged.
    const ledger = await eventually(
      () => read('auditor'),
      (l) => (l.outputs.find((o) => o.row === 1)?.evidence.length ?? 0) > 0,
      'row 1 evidenced',
    );
    expect((await read('practitioner-ldn')).outputs.find((o) => o.row === 1)!.evidence[0]).toHaveProperty('what');
    const delivered = ledger.outputs.find((o) => o.row === 1)!;
    expect(delivered.evidence.length).toBeGreaterThan(0);
    for (const e of ledger.outputs.flatMap((o) => o.evidence)) {
      expect(e).not.toHaveProperty('what');
      expect(e).not.toHaveProperty('details');
      expect(e).toHaveProperty('by');
    }
  });
});

describe('a command from a caller who may not see the case', () => {
  const risk = { roshLevel: 'high', sourceCode: 'oasys' };
  const timelineOf = async (id: string) => {
    const res = await fetch(`${ctx.base}/sentences/${id}`, { headers: { authorization: `Bearer ${await ctx.token('spo-ldn')}` } });
    return JSON.stringify(((await res.json()) as { timeline: unknown[] }).timeline);
  };

  it('is answered 404 by the workflow, whatever the command, and the case is unchanged', async () => {
    const before = await timelineOf(L);
    // Kent's practitioner: a valid command, one the case would refuse in its phase, and one with an Idempotency-Key.
    expect((await call('practitioner-knt', 'POST', `/sentences/${L}/risk`, risk)).status).toBe(404);
    expect((await call('practitioner-knt', 'POST', `/sentences/${L}/plan`, {})).status).toBe(404);
    expect((await call('practitioner-knt', 'POST', `/sentences/${L}/appointments`, { appointmentId: 'AK1', date: today })).status).toBe(
      404,
    );
    // Limited access: OM1 is excluded from X; the case system reads only what it started.
    expect((await call('practitioner-ldn', 'POST', `/sentences/${X}/risk`, risk)).status).toBe(404);
    expect((await call('case-system', 'POST', `/sentences/${O}/risk`, { ...risk, by: 'case-system' })).status).toBe(404);
    expect(await timelineOf(L)).toBe(before);
    // The same commands from those who may see the cases are applied.
    expect((await call('spo-ldn', 'POST', `/sentences/${X}/risk`, risk)).status).toBe(200);
    expect((await call('practitioner-ldn', 'POST', `/sentences/${L}/risk`, risk)).status).toBe(200);
    expect(await timelineOf(L)).not.toBe(before);
  });

  it('leaves no claim on an Idempotency-Key it was refused with', async () => {
    const keyed = async (who: Who, body: object) => {
      const res = await fetch(`${ctx.base}/sentences/${L}/risk`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'claim-1', authorization: `Bearer ${await ctx.token(who)}` },
        body: JSON.stringify(body),
      });
      return res.status;
    };
    expect(await keyed('practitioner-knt', { ...risk, roshLevel: 'low' })).toBe(404);
    // Had the refused request claimed the key, this different body would be answered 422.
    expect(await keyed('practitioner-ldn', { ...risk, roshLevel: 'medium' })).toBe(200);
  });

  it('does not learn that a case outside its scope has closed', async () => {
    const s = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('KCL'),
      provider: { providerCode: 'N07', areaCode: 'KNT' },
    });
    expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
    await ctx.env.client.workflow.getHandle(`sentence-${s.sentenceId}`).terminate('closed for the test');
    expect((await call('practitioner-ldn', 'POST', `/sentences/${s.sentenceId}/risk`, risk)).status).toBe(404);
    expect((await call('practitioner-knt', 'POST', `/sentences/${s.sentenceId}/risk`, risk)).status).toBe(409);
  });
});

describe('a command during a deployment, on a worker older than the in-scope Updates', () => {
  it('is checked by the API against where the case is held, then sent as the command\u2019s own Update', async () => {
    const taskQueue = uniqueId('older-worker');
    const worker = await createWorker({
      connection: ctx.env.nativeConnection,
      taskQueue,
      deps,
      dataConverter: testDataConverter,
      workflowsPath: fileURLToPath(new URL('../support/workflows/before-in-scope.ts', import.meta.url)),
    });
    const running = worker.run();
    try {
      const s = communityOrder(today, periodEnd(today, 12), {
        sentenceId: uniqueId('OLD'),
        provider: { providerCode: 'N07', areaCode: 'LDN' },
      });
      const h = await ctx.env.client.workflow.start('sentenceWorkflowBeforeInScope', {
        workflowId: workflowIdFor(s.sentenceId),
        taskQueue,
        args: [newSentenceInput(s, 'test')],
        typedSearchAttributes: initialSearchAttributes(s),
      });
      const risk = { roshLevel: 'high', sourceCode: 'oasys' };
      expect((await call('practitioner-knt', 'POST', `/sentences/${s.sentenceId}/risk`, risk)).status).toBe(404);
      expect((await call('practitioner-ldn', 'POST', `/sentences/${s.sentenceId}/risk`, risk)).status).toBe(200);
      // The older worker refused the in-scope Updates (no history events); the command came as its own Update, once.
      const accepted = (await h.fetchHistory()).events
        ?.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name)
        .filter(Boolean);
      expect(accepted).toEqual(['record-risk-information']);
    } finally {
      worker.shutdown();
      await running;
    }
  });
});

describe('the actor of a command', () => {
  it('is the person whose token it is: a forged by is refused, an absent one is theirs', async () => {
    const woman = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('BY'),
      provider: { providerCode: 'N07', areaCode: 'LDN' },
      offender: { ...baseOffender, sex: 'female' },
    });
    expect((await call('case-system', 'POST', '/sentences', woman)).status).toBe(201);
    const path = `/sentences/${woman.sentenceId}/${HTTP_COMMANDS['record-output-evidence'].route}`;
    const evidence = { row: 4, what: 'offered a female officer', details: { choice: 'female officer' } };
    const forged = await call('practitioner-ldn', 'POST', path, { ...evidence, by: 'OM2' });
    expect(forged.status).toBe(403);
    expect((await call('practitioner-ldn', 'POST', path, evidence)).status).toBe(200);
    const res = await fetch(`${ctx.base}/sentences/${woman.sentenceId}/outputs`, {
      headers: { authorization: `Bearer ${await ctx.token('spo-ldn')}` },
    });
    const row4 = ((await res.json()) as { outputs: { row: number; evidence: { by: string; actor?: unknown }[] }[] }).outputs.find(
      (o) => o.row === 4,
    )!;
    expect(row4.evidence.map((e) => e.by)).toEqual(['OM1']);
    // The principal, its roles and its client are recorded on the evidence and on the timeline entries the command added.
    const om1 = { id: 'OM1', kind: 'user', roles: ['practitioner'], clientId: 'practitioner-ldn' };
    expect(row4.evidence[0]!.actor).toEqual(om1);
    const allocated = await call('spo-ldn', 'POST', `/sentences/${woman.sentenceId}/allocation`, { offenderManagerId: 'OM1' });
    expect(allocated.status).toBe(200);
    const viewed = await fetch(`${ctx.base}/sentences/${woman.sentenceId}`, {
      headers: { authorization: `Bearer ${await ctx.token('spo-ldn')}` },
    });
    const timeline = ((await viewed.json()) as { timeline: { event: string; actor?: unknown }[] }).timeline;
    expect(timeline.find((t) => t.event === 'allocated')?.actor).toEqual({
      id: 'SPO1',
      kind: 'user',
      roles: ['senior-probation-officer'],
      clientId: 'spo-ldn',
    });
    expect(timeline.find((t) => t.event === 'commenced')?.actor).toBeUndefined(); // the start is not a command
  });
});

describe('limited access set by command', () => {
  it('is set and lifted by the area\u2019s manager, takes effect on the next request, and keeps the case visible to its holder', async () => {
    const s = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('LAO'),
      provider: { providerCode: 'N07', areaCode: 'LDN' },
    });
    const id = s.sentenceId;
    const access = `/sentences/${id}/access`;
    const listed = async (w: Who) => (await list(w)).includes(id);
    expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
    expect((await call('practitioner-ldn', 'GET', `/sentences/${id}`)).status).toBe(200);
    // Only a manager sets the lists; a practitioner of the case may not.
    expect((await call('practitioner-ldn', 'POST', access, { excluded: ['OM1'] })).status).toBe(403);
    expect((await call('spo-ldn', 'POST', access, {})).status).toBe(400);
    expect((await call('spo-ldn', 'POST', access, { excluded: ['OM1'] })).status).toBe(200);
    // OM1 is excluded at once: the case does not exist for them, in reads, commands and (once indexed) the list.
    expect((await call('practitioner-ldn', 'GET', `/sentences/${id}`)).status).toBe(404);
    expect((await call('practitioner-ldn', 'POST', `/sentences/${id}/first-appointment`, {})).status).toBe(404);
    await eventually(
      () => listed('practitioner-ldn'),
      (seen) => !seen,
      'gone from OM1\u2019s list',
    );
    expect(await listed('spo-ldn')).toBe(true);
    // Allocating the case to someone excluded from it is refused by the lists' own rule, in words.
    expect((await call('spo-ldn', 'POST', access, { excluded: [] })).status).toBe(200);
    expect((await call('practitioner-ldn', 'GET', `/sentences/${id}`)).status).toBe(200);
    await eventually(
      () => listed('practitioner-ldn'),
      (seen) => seen,
      'back in OM1\u2019s list',
    );
    expect((await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    const refuse = await fetch(`${ctx.base}${access}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('spo-ldn')}` },
      body: JSON.stringify({ excluded: ['OM1'] }),
    });
    expect(refuse.status).toBe(409);
    expect(((await refuse.json()) as { error: string }).error).toBe(
      'the offender manager holding the case (OM1) cannot be excluded; reallocate it first',
    );
    // Restricted to its holder and the manager: another London manager's reads would now answer 404; the case system's still 200.
    expect((await call('spo-ldn', 'POST', access, { restrictedTo: ['OM1', 'SPO1'] })).status).toBe(200);
    expect((await call('practitioner-ldn', 'GET', `/sentences/${id}`)).status).toBe(200);
    expect((await call('case-system', 'GET', `/sentences/${id}`)).status).toBe(200);
    expect((await call('nps-officer', 'GET', `/sentences/${id}`)).status).toBe(404);
    const res = await fetch(`${ctx.base}/sentences/${id}`, { headers: { authorization: `Bearer ${await ctx.token('spo-ldn')}` } });
    const timeline = ((await res.json()) as { timeline: { event: string; detail: string; actor?: { id: string } }[] }).timeline;
    expect(timeline.filter((e) => e.event === 'access-changed').map((e) => [e.detail, e.actor?.id])).toEqual([
      ['limited access: not restricted, 1 excluded', 'SPO1'],
      ['limited access: not restricted, 0 excluded', 'SPO1'],
      ['limited access: restricted to 2 named staff, 0 excluded', 'SPO1'],
    ]);
  });
});

describe('a transfer between areas', () => {
  it('is answered by the receiving area once approved, and the case moves its access with it', async () => {
    const s = communityOrder(today, periodEnd(today, 12), {
      sentenceId: uniqueId('TRF'),
      provider: { providerCode: 'N07', areaCode: 'LDN' },
    });
    const id = s.sentenceId;
    expect((await call('case-system', 'POST', '/sentences', s)).status).toBe(201);
    expect((await call('spo-ldn', 'POST', `/sentences/${id}/allocation`, { offenderManagerId: 'OM1' })).status).toBe(200);
    const request = { transferId: 'T1', toProviderCode: 'N07', toAreaCode: 'KNT', reasonCode: 'moved-house', by: 'OM1' };
    expect((await call('practitioner-ldn', 'POST', `/sentences/${id}/transfers`, request)).status).toBe(200);
    const response = { transferId: 'T1', decision: 'accepted', offenderManagerId: 'OM9' };
    // Not yet approved: to Kent the case does not exist.
    expect((await call('spo-knt', 'POST', `/sentences/${id}/transfers/response`, response)).status).toBe(404);
    expect((await call('spo-ldn', 'POST', `/sentences/${id}/transfers/decision`, { transferId: 'T1', decision: 'approved' })).status).toBe(
      200,
    );
    // Approved: Kent's manager answers it (a Kent practitioner has no right to); Kent still cannot read the case.
    expect((await call('practitioner-knt', 'POST', `/sentences/${id}/transfers/response`, response)).status).toBe(403);
    expect((await call('spo-knt', 'GET', `/sentences/${id}`)).status).toBe(404);
    expect((await call('spo-knt', 'POST', `/sentences/${id}/transfers/response`, { ...response, transferId: 'T9' })).status).toBe(404);
    expect((await call('spo-knt', 'POST', `/sentences/${id}/transfers/response`, response)).status).toBe(200);
    // Accepted: the case is Kent's now, and London's no more.
    expect((await call('spo-knt', 'GET', `/sentences/${id}`)).status).toBe(200);
    expect((await call('practitioner-knt', 'GET', `/sentences/${id}`)).status).toBe(200);
    expect((await call('spo-ldn', 'GET', `/sentences/${id}`)).status).toBe(404);
    // Nor does London's manager command it: the workflow itself refuses the area the case has left.
    expect((await call('spo-ldn', 'POST', `/sentences/${id}/risk`, { roshLevel: 'high', sourceCode: 'oasys' })).status).toBe(404);
    expect((await call('spo-knt', 'POST', `/sentences/${id}/risk`, { roshLevel: 'high', sourceCode: 'oasys' })).status).toBe(200);
  });
});

describe('access tokens', () => {
  const claims = { roles: ['practitioner'], staff_id: 'OM1', provider: 'N07', areas: ['LDN'], client_id: 'practitioner-ldn' };
  const sign = async (over: { iss?: string; aud?: string; exp?: number; nbf?: number; key?: JWK }) => {
    const jwk = over.key ?? ctx.idp.signingKey;
    const now = Math.floor(Date.now() / 1000);
    let t = new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: ctx.idp.signingKey.kid!, typ: 'at+jwt' })
      .setIssuer(over.iss ?? ctx.idp.idp.issuer)
      .setAudience(over.aud ?? ctx.idp.idp.audience)
      .setIssuedAt(now - 5)
      .setExpirationTime(over.exp ?? now + 300);
    if (over.nbf !== undefined) t = t.setNotBefore(over.nbf);
    return t.sign(await importJWK(jwk, 'RS256'));
  };
  const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const get = async (authorization?: string) => {
    const res = await fetch(`${ctx.base}/sentences/${L}`, { headers: authorization ? { authorization } : {} });
    return { status: res.status, challenge: res.headers.get('www-authenticate'), body: (await res.json()) as { error?: string } };
  };

  it('accepts a token of its own making with the provider\u2019s key (the edge cases below differ in one thing each)', async () => {
    expect((await get(`Bearer ${await sign({})}`)).status).toBe(200);
  });

  it('refuses each bad token with 401 and a Bearer challenge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { privateKey: otherKey } = await generateKeyPair('RS256', { extractable: true });
    const { exportJWK } = await import('jose');
    const other = { ...(await exportJWK(otherKey)), kid: ctx.idp.signingKey.kid };
    const publicPem = await exportSPKI(await importJWK({ kty: 'RSA', n: ctx.idp.signingKey.n!, e: ctx.idp.signingKey.e! }, 'RS256'));
    const hsHeader = b64url({ alg: 'HS256', kid: ctx.idp.signingKey.kid });
    const hsPayload = b64url({ ...claims, iss: ctx.idp.idp.issuer, aud: ctx.idp.idp.audience, exp: now + 300 });
    const hs = `${hsHeader}.${hsPayload}.${createHmac('sha256', publicPem).update(`${hsHeader}.${hsPayload}`).digest('base64url')}`;
    const none = `${b64url({ alg: 'none' })}.${b64url({ ...claims, iss: ctx.idp.idp.issuer, aud: ctx.idp.idp.audience, exp: now + 300 })}.`;
    const cases: [string, string | undefined, string][] = [
      ['missing', undefined, 'Bearer realm="sentence-orchestrator"'],
      ['not Bearer', 'Basic dXNlcjpwYXNz', 'Bearer realm="sentence-orchestrator", error="invalid_request"'],
      ['malformed', 'Bearer not.a.jwt!', 'error="invalid_token", error_description="the token is not a JWT"'],
      ['expired', `Bearer ${await sign({ exp: now - 120 })}`, 'error_description="the token has expired"'],
      ['not yet valid', `Bearer ${await sign({ nbf: now + 300 })}`, 'error_description="the token\'s nbf claim is not accepted"'],
      [
        'wrong issuer',
        `Bearer ${await sign({ iss: 'http://127.0.0.1:1/other' })}`,
        'error_description="the token\'s iss claim is not accepted"',
      ],
      ['wrong audience', `Bearer ${await sign({ aud: 'urn:someone-else' })}`, 'error_description="the token\'s aud claim is not accepted"'],
      ['alg none', `Bearer ${none}`, 'error="invalid_token"'],
      [
        'another key',
        `Bearer ${await sign({ key: other })}`,
        'error_description="the token\'s signature does not verify with the issuer\'s keys"',
      ],
      ['HS256 with the public key', `Bearer ${hs}`, 'error_description="the token is signed with an algorithm that is not allowed"'],
    ];
    for (const [what, header, challenge] of cases) {
      const r = await get(header);
      expect(r.status, what).toBe(401);
      expect(r.challenge, what).toContain(challenge);
      expect(r.body.error, what).toBeTruthy();
    }
  });
});
