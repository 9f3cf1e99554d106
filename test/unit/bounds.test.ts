// The bounds on one sentence's state (domain/bounds.ts): no sequence of messages grows it without limit.
import { describe, expect, it } from 'vitest';
import { countRejectedSignal, pastBound, stateBytes, trimmed } from '../../domain/bounds.ts';
import { utf8Length } from '../../domain/json.ts';
import { addDays, weekday } from '../../domain/dates.ts';
import { advanceTime, applyCommand, rejectSignal, type Command, type SentenceState } from '../../domain/lifecycle.ts';
import { communityOrder } from '../support/fixtures.ts';
import { at, given } from '../support/scenario.ts';

const SD = '2026-01-05';
const bytes = (s: SentenceState) => new TextEncoder().encode(JSON.stringify(s)).length;
const bounded = { bounded: true };

function supervised(endDate = '2027-01-04'): SentenceState {
  let s = given(communityOrder(SD, endDate));
  s = applyCommand(s, { type: 'allocate', offenderManagerId: 'OM1' }, at(SD)).state;
  return applyCommand(s, { type: 'record-first-appointment' }, at(SD)).state;
}

/** Applies a command as a bounded workflow does (refused past the bounds, records trimmed). */
const step = (s: SentenceState, cmd: Command, date: string) => trimmed(applyCommand(s, cmd, at(date), undefined, undefined, bounded).state);

describe('rejected signals are counted, the latest few kept', () => {
  it('10,000 rejected signals leave a count of 10,000 and the latest 10; the state does not grow with them', () => {
    let s = supervised();
    const before = bytes(s);
    for (let i = 1; i <= 10_000; i++) {
      s = rejectSignal(s, 'request-transfer', `reason ${i}`, at('2026-02-02'), {
        bounded: true,
        commandId: `request-transfer:k${i}`,
      }).state;
    }
    expect(s.signalsRejected?.count).toBe(10_000);
    expect(s.signalsRejected?.latest.map((r) => r.reason)).toEqual([
      'reason 9991',
      'reason 9992',
      'reason 9993',
      'reason 9994',
      'reason 9995',
      'reason 9996',
      'reason 9997',
      'reason 9998',
      'reason 9999',
      'reason 10000',
    ]);
    expect(s.timeline.filter((e) => e.event === 'signal-rejected')).toEqual([]);
    expect(bytes(s) - before).toBeLessThan(2_000);
  });

  it('one key sent 300 times for the same reason is one entry that says 300 times', () => {
    let s = supervised();
    for (let i = 0; i < 300; i++)
      s = countRejectedSignal(s, { type: 'request-transfer', reason: 'held already', commandId: 'k1' }, `t${i}`);
    expect(s.signalsRejected).toEqual({
      count: 300,
      latest: [{ at: 't299', type: 'request-transfer', reason: 'held already', commandId: 'k1', times: 300 }],
    });
  });

  it('what a hostile signal carries is kept short: a long reason is cut, a long or odd key is not kept', () => {
    let s = supervised();
    s = countRejectedSignal(s, { type: 'record-risk-information', reason: 'x'.repeat(5000), commandId: 'k'.repeat(201) }, 't1');
    s = countRejectedSignal(s, { type: 'record-risk-information', reason: 'odd key', commandId: { length: 1 } as unknown as string }, 't2');
    const [long, odd] = s.signalsRejected!.latest;
    expect(long!.reason).toHaveLength(301);
    expect(long!.commandId).toBeUndefined();
    expect(odd!.commandId).toBeUndefined();
  });

  it('without the bounds (a history recorded before them), a rejected signal is still a timeline entry', () => {
    const s = rejectSignal(supervised(), 'request-transfer', 'no', at('2026-02-02')).state;
    expect(s.timeline.at(-1)).toMatchObject({ event: 'signal-rejected', detail: 'request-transfer not applied: no' });
    expect(s.signalsRejected).toBeUndefined();
  });
});

describe('records for reading keep their latest entries', () => {
  it('the timeline keeps its latest 500 entries and counts the rest; risk history its latest 50', () => {
    let s = supervised();
    for (let i = 0; i < 600; i++) {
      s = step(
        s,
        { type: 'record-risk-information', roshLevel: i % 2 ? 'high' : 'medium', sourceCode: `src${i}`, by: 'OM1' },
        '2026-02-02',
      );
    }
    expect(s.timeline).toHaveLength(500);
    expect(s.timelineOmitted).toBeGreaterThan(600);
    expect(s.timeline.filter((e) => e.event === 'risk-information').at(-1)?.detail).toContain('risk information from src599');
    expect(s.timeline.map((e) => e.event)).not.toContain('commenced');
    expect(s.risk.history).toHaveLength(50);
    expect(s.risk.historyOmitted).toBe(550);
    expect(s.risk.history[0]?.sourceCode).toBe('src550');
  });
});

describe('the case record has an upper size', () => {
  it('measures the state exactly as its JSON in UTF-8, the shared ledger rows and timeline entries measured once', () => {
    let s = supervised();
    s = step(s, { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan agreed: café, naïve, 日本' }, '2026-02-02');
    expect(stateBytes(s)).toBe(bytes(s));
    s = step(s, { type: 'record-risk-information', roshLevel: 'high', sourceCode: 'police', by: 'OM1' }, '2026-02-03');
    expect(stateBytes(s)).toBe(bytes(s));
    expect(stateBytes({ ...s, timeline: [] })).toBe(bytes({ ...s, timeline: [] }));
  });

  it('a command copies the state but shares its ledger rows and timeline entries, and leaves the state it came from alone', () => {
    const s = supervised();
    const before = JSON.stringify(s);
    // The same day: nothing but row 13 changes on the ledger.
    const next = applyCommand(s, { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan' }, at(SD, 11)).state;
    expect(JSON.stringify(s)).toBe(before);
    expect(next.outputs.find((o) => o.row === 1)).toBe(s.outputs.find((o) => o.row === 1));
    expect(next.outputs.find((o) => o.row === 13)).not.toBe(s.outputs.find((o) => o.row === 13));
    expect(next.timeline[0]).toBe(s.timeline[0]);
    expect(next.timeline).not.toBe(s.timeline);
    expect(next.deadlines).not.toBe(s.deadlines);
  });

  it('a command signs with its actor only the evidence and timeline entries it added, never those it shares', () => {
    const actor = { kind: 'user' as const, id: 'OM2', roles: ['practitioner'], clientId: 'ui' };
    const s = step(supervised(), { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan' }, SD);
    const before = JSON.stringify(s);
    const cmd: Command = { type: 'record-output-evidence', row: 13, by: 'OM2', what: 'plan recap' };
    const next = applyCommand(s, cmd, at(SD, 12), undefined, actor).state;
    expect(JSON.stringify(s)).toBe(before);
    const evidence = next.outputs.find((o) => o.row === 13)!.evidence;
    expect(evidence.map((e) => [e.what, e.actor?.id])).toEqual([
      ['plan', undefined],
      ['plan recap', 'OM2'],
    ]);
    expect(next.timeline.slice(0, s.timeline.length).every((e) => e.actor === undefined)).toBe(true);
    expect(next.timeline.slice(s.timeline.length).map((e) => e.actor?.id)).toEqual(
      new Array<string>(next.timeline.length - s.timeline.length).fill('OM2'),
    );
  });

  it('a command that would take the state past 1,572,864 bytes is refused with the reason; the state is left as it was', () => {
    let s = supervised();
    const evidenceOf = (i: number): Command => ({
      type: 'record-output-evidence',
      row: 13,
      by: 'OM1',
      what: `plan note ${i} `.padEnd(500, 'x'),
      details: Object.fromEntries(Array.from({ length: 15 }, (_, k) => [`field${k}`, 'y'.repeat(200)])),
    });
    let refused: string | undefined;
    for (let i = 0; i < 2000 && !refused; i++) {
      try {
        s = step(s, evidenceOf(i), '2026-02-02');
      } catch (e) {
        refused = (e as Error).message;
      }
    }
    expect(refused).toMatch(/^the case's record would be \d+ bytes, past its bound of 1572864: ask an administrator to archive it$/);
    expect(bytes(s)).toBeLessThanOrEqual(1_572_864);
    expect(bytes(s)).toBeGreaterThan(1_572_864 - 8_000);
    expect(pastBound(s)).toBeUndefined();
    // Without the bounds (histories recorded before them) the same command is applied.
    expect(() => applyCommand(s, evidenceOf(9999), at('2026-02-02'))).not.toThrow();
  });

  it('a command over 4,096 bytes, or with a command id over 200 characters, is refused under the bounds', () => {
    const s = supervised();
    const big: Command = { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'x'.repeat(4100) };
    expect(() => applyCommand(s, big, at('2026-02-02'), undefined, undefined, bounded)).toThrow(
      'the command is 4163 bytes as JSON; a case takes at most 4096',
    );
    const note: Command = { type: 'record-output-evidence', row: 13, by: 'OM1', what: 'plan' };
    expect(() => applyCommand(s, note, at('2026-02-02'), 'k'.repeat(201), undefined, bounded)).toThrow(
      'a command id is a string of at most 200 characters',
    );
    expect(applyCommand(s, note, at('2026-02-02'), 'k'.repeat(200), undefined, bounded).state.appliedCommandIds.at(-1)).toHaveLength(200);
  });

  it('a 3-year order with an appointment every working day, each with its outcome, stays under a third of the bound', () => {
    const end = '2029-01-04';
    let s = supervised(end);
    let n = 0;
    for (let d = addDays(SD, 1); d < end; d = addDays(d, 1)) {
      if (weekday(d) >= 6) continue;
      n++;
      s = trimmed(advanceTime(s, at(d, 9)).state);
      s = step(s, { type: 'record-appointment', appointmentId: `A${n}`, date: d }, d);
      s = step(s, { type: 'record-appointment-outcome', appointmentId: `A${n}`, outcome: 'attended-complied' }, d);
    }
    expect(n).toBeGreaterThan(770);
    expect(s.compliance.appointments).toHaveLength(n);
    console.log(
      `[bounds] 3-year daily-appointment order: ${bytes(s)} bytes, ${s.deadlines.length} deadlines, ${s.timeline.length} timeline entries kept`,
    );
    expect(bytes(s)).toBeLessThan(524_288);
  });
});

describe("a string's UTF-8 length, counted without encoding it", () => {
  it("is what an encoder writes, for ASCII, two-, three- and four-byte characters and JSON's escaped lone surrogates", () => {
    const samples = [
      '',
      'plain ascii',
      'café',
      '£12 — €5',
      'ﬁ',
      '日本語',
      '👩‍⚖️ in court',
      JSON.stringify('lone \ud800 half'),
      'a'.repeat(1000) + '😀',
    ];
    for (const v of samples) expect(utf8Length(v), v).toBe(new TextEncoder().encode(v).length);
    expect(utf8Length('£€😀')).toBe(2 + 3 + 4);
  });
});
