// Published versions are immutable. Running sentences compute with the policy, law and calendar version they recorded,
// for years; an edit in place would move their deadlines on the next worker restart (and differently for cases that
// continued as new before and after the deploy). So each version's content is held here by its SHA-256: an edit in
// place fails this test. A change is a new version with a start date (policy.ts, law.ts) or a new calendar version
// (`npm run refresh:bank-holidays`), whose hash is added here.
//
// The rule constants that are not versioned yet are frozen the same way, as one group: changing one changes running
// cases; move it into a versioned policy (or guard the change with patched()) instead of editing it.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { calendarFor, calendarVersions } from '../../domain/calendar/index.ts';
import { OUTCOME_NEEDED_BUSINESS_DAYS, MAX_EXTENSION_MONTHS } from '../../domain/compliance.ts';
import { DRR_MIN_REVIEW_INTERVAL_MONTHS, DRR_REVIEWS_REQUIRED_OVER_MONTHS } from '../../domain/court-reports.ts';
import { addDays } from '../../domain/dates.ts';
import { BREACH_ACTION_BUSINESS_DAYS, WARNING_WINDOW_MONTHS } from '../../domain/enforcement.ts';
import { LAW, SENTENCING_ACT_2026 } from '../../domain/law.ts';
import { APPLIED_COMMAND_IDS_KEPT } from '../../domain/lifecycle.ts';
import { REQUIREMENT_LEVEL } from '../../domain/outputs/applicability.ts';
import { OUTPUTS } from '../../domain/outputs/catalogue.ts';
import { EVENT_TIMESCALE_BUSINESS_DAYS, NEWLY_APPLICABLE_BUSINESS_DAYS } from '../../domain/outputs/ledger.ts';
import { TIMESCALES } from '../../domain/policy.ts';
import { EARLY_REVOCATION_POLICY } from '../../domain/progress.ts';
import { LIMITS } from '../../domain/sentence.ts';

/** JSON with keys sorted at every level, so a hash depends on content only. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'undefined';
}
const hash = (v: unknown) => createHash('sha256').update(canonical(v)).digest('hex').slice(0, 16);

/** Every bank holiday a calendar version gives from 1900 to 2199: its snapshot and the statutory rules beyond it. */
function holidaysOf(version: string): string[] {
  const cal = calendarFor(version);
  const days: string[] = [];
  for (let d = '1900-01-01'; d <= '2199-12-31'; d = addDays(d, 1)) if (cal.isBankHoliday(d)) days.push(d);
  return days;
}

describe('published versions are frozen', () => {
  it('timescales policies', () => {
    expect(Object.fromEntries(TIMESCALES.map((p) => [p.version, hash(p)]))).toEqual({
      'ts-2014.1': '481d661651367d5a',
    });
  });

  it('law: each rule version and the commencement dates', () => {
    const versions = Object.fromEntries(
      Object.values(LAW).flatMap((rule) => rule.versions.map((v) => [`${rule.id}@${v.from}`, hash({ keyedOn: rule.keyedOn, ...v })])),
    );
    expect(versions).toEqual({
      'officer-may-end-order@1900-01-01': '06b07f3431079b75',
      'officer-may-end-order@2026-05-11': '8854e2d06ea285f3',
      // Added for rules 2 (issue 12): the same power keyed on the day the officer acts.
      'officer-may-end-order-in-force@1900-01-01': '96d79bdbe42856e9',
      'officer-may-end-order-in-force@2026-05-11': '5f0540582d35ff90',
      'sso-maximum-periods@1900-01-01': '062738a34965bf12',
      'sso-maximum-periods@2026-03-22': 'adc7579cebcc7c29',
      'unpaid-work-credit@1900-01-01': '6bb87793e07dfa65',
      'unpaid-work-credit@2026-05-11': 'e0c88b5fe6a1b509',
      'unpaid-work-window@1900-01-01': '37f7a86b08cd7658',
      'unpaid-work-window@2026-05-11': '89b5d6e3f9a381dc',
    });
    expect(hash(SENTENCING_ACT_2026)).toBe('90faab0f0e3d4b7b');
  });

  it('calendars: every bank holiday of each version, 1900 to 2199', () => {
    const versions = Object.fromEntries(calendarVersions().map((v) => [v.version, hash(holidaysOf(v.version))]));
    expect(versions).toEqual({
      'ew-2026-11-23': '049837d66227caee',
    });
  });

  it('the rule constants not yet versioned', () => {
    const constants = {
      BREACH_ACTION_BUSINESS_DAYS,
      WARNING_WINDOW_MONTHS,
      OUTCOME_NEEDED_BUSINESS_DAYS,
      MAX_EXTENSION_MONTHS,
      DRR_MIN_REVIEW_INTERVAL_MONTHS,
      DRR_REVIEWS_REQUIRED_OVER_MONTHS,
      NEWLY_APPLICABLE_BUSINESS_DAYS,
      EVENT_TIMESCALE_BUSINESS_DAYS,
      APPLIED_COMMAND_IDS_KEPT,
      EARLY_REVOCATION_POLICY,
      LIMITS,
      REQUIREMENT_LEVEL,
      OUTPUTS,
    };
    expect(Object.fromEntries(Object.entries(constants).map(([k, v]) => [k, hash(v)]))).toEqual({
      APPLIED_COMMAND_IDS_KEPT: '27badc983df1780b',
      BREACH_ACTION_BUSINESS_DAYS: '4a44dc15364204a8',
      DRR_MIN_REVIEW_INTERVAL_MONTHS: '6b86b273ff34fce1',
      DRR_REVIEWS_REQUIRED_OVER_MONTHS: '6b51d431df5d7f14',
      EARLY_REVOCATION_POLICY: '9aa87a50a4c6c44a',
      EVENT_TIMESCALE_BUSINESS_DAYS: '8a6700e29d95eea0',
      LIMITS: '288846c946712d7c',
      MAX_EXTENSION_MONTHS: 'e7f6c011776e8db7',
      NEWLY_APPLICABLE_BUSINESS_DAYS: 'e215e17360507dfc',
      OUTCOME_NEEDED_BUSINESS_DAYS: 'd4735e3a265e16ee',
      OUTPUTS: '5b8b9845cda43f45',
      REQUIREMENT_LEVEL: '50c4d4057a503db9',
      WARNING_WINDOW_MONTHS: '6b51d431df5d7f14',
    });
  });
});
