// The API's request schemas: zod at the edge, reporting every problem at once. The numbers come from
// domain/sentence.ts LIMITS; the shapes must match the plain domain types (checked at compile time below). The
// command bodies are in api/commands.ts.
import { z } from 'zod';
import { ACCESS_LIST_MAX } from '../domain/access.ts';
import { isIsoDate, periodEnd, shiftMonths, type IsoDate } from '../domain/dates.ts';
import { PHASES } from '../domain/lifecycle.ts';
import { TIMESCALES, timescalesFor } from '../domain/policy.ts';
import { LIMITS, type SentenceInput } from '../domain/sentence.ts';
import { DRR_MIN_REVIEW_INTERVAL_MONTHS, DRR_REVIEWS_REQUIRED_OVER_MONTHS } from '../domain/court-reports.ts';
import { LAW, requirementNotInForce, ruleOn } from '../domain/law.ts';

const earliestPolicyDate = () => TIMESCALES.map((t) => t.effectiveFrom).sort()[0];

export const isoDate = z
  .string()
  .refine(isIsoDate, { message: 'must be a calendar date as YYYY-MM-DD' })
  .meta({ format: 'date', example: '2026-11-23' });
/** A sentence's id: 1 to 64 letters, digits, "-" or "_", beginning with a letter or digit (e.g. CRN-event: X123456-1). */
export const SENTENCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
export const code = (what: string, max = 32) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `${what} must be letters, digits, "-" or "_"`)
    .min(1)
    .max(max);
export const int = (min: number, max: number) => z.number().int().min(min).max(max);

const U = LIMITS;
const RAR_DAYS_REQUIRED =
  'a rehabilitation activity requirement specifies the maximum number of days (Sentencing Act 2020 Sch 9 para 4(2); the Sentencing Act 2026 s.12, which removes that, is not yet in force)';
export const RequirementSchema = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('unpaid-work'), hours: int(U.unpaidWorkHours.min, U.unpaidWorkHours.max) }),
    z.object({
      type: z.literal('rehabilitation-activity'),
      // Sch 9 para 4(2): the order specifies the maximum days (the 2026 Act s.12 removes that, not yet in force).
      maxDays: z
        .number({ error: (iss) => (iss.input === undefined ? RAR_DAYS_REQUIRED : undefined) })
        .int()
        .min(U.rarMaxDays.min)
        .max(U.rarMaxDays.max),
    }),
    z.object({ type: z.literal('programme'), programmeCode: code('programmeCode'), days: int(U.programmeDays.min, U.programmeDays.max) }),
    z.object({ type: z.literal('prohibited-activity'), activityCode: code('activityCode'), months: int(1, U.coMaxMonths) }),
    z
      .object({
        type: z.literal('curfew'),
        hoursPerDay: int(U.curfew.hoursPerDayMin, U.curfew.hoursPerDayMax),
        daysPerWeek: int(1, 7),
        months: int(1, U.curfew.maxMonths),
      })
      .refine((c) => c.hoursPerDay * c.daysPerWeek <= U.curfew.hoursPerWeekMax, {
        message: `curfew may not exceed ${U.curfew.hoursPerWeekMax} hours in any week`,
        path: ['hoursPerDay'],
      }),
    z.object({ type: z.literal('exclusion'), placeCode: code('placeCode'), months: int(1, U.exclusionMaxMonths) }),
    z.object({ type: z.literal('residence'), premisesType: z.enum(['approved-premises', 'specified-address', 'other']) }),
    z.object({ type: z.literal('foreign-travel-prohibition'), months: int(1, U.foreignTravelMaxMonths) }),
    z.object({
      type: z.literal('mental-health-treatment'),
      setting: z.enum(['resident', 'non-resident', 'practitioner']),
      months: int(1, U.coMaxMonths),
    }),
    z.object({
      type: z.literal('drug-rehabilitation'),
      months: int(6, U.coMaxMonths),
      courtReviews: z.boolean(),
      reviewIntervalMonths: int(DRR_MIN_REVIEW_INTERVAL_MONTHS, 12).optional(),
    }),
    z.object({ type: z.literal('alcohol-treatment'), setting: z.enum(['resident', 'non-resident']), months: int(1, U.coMaxMonths) }),
    z.object({ type: z.literal('alcohol-abstinence-monitoring'), days: int(U.alcoholAbstinenceDays.min, U.alcoholAbstinenceDays.max) }),
    z.object({ type: z.literal('attendance-centre'), hours: int(U.attendanceCentreHours.min, U.attendanceCentreHours.max) }),
    z.object({
      type: z.literal('electronic-monitoring'),
      purpose: z.enum(['compliance', 'location']),
      months: int(1, U.electronicMonitoringMaxMonths),
    }),
  ],
  {
    // A requirement the 2026 Act adds (ss.14-17) is named, with why it cannot be ordered yet (domain/law.ts NOT_YET_IN_FORCE).
    error: (iss) => {
      const p = requirementNotInForce((iss.input as { type?: unknown } | undefined)?.type);
      return p ? `${p.requirementType}: ${p.changes} is not yet in force (${p.source})` : undefined;
    },
  },
);

export const RoshSchema = z.enum(['low', 'medium', 'high', 'very-high']);
const oneToThree = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export const MappaSchema = z.strictObject({ category: oneToThree, level: oneToThree });

export const OffenderSchema = z.strictObject({
  sex: z.enum(['female', 'male', 'other', 'not-stated']),
  communicationNeeds: z.strictObject({
    interpreterLanguage: z
      .string()
      .regex(/^[a-z]{2,3}$/, 'interpreterLanguage must be an ISO 639 code')
      .optional(),
    disability: z.boolean(),
    learningDifficulty: z.boolean(),
  }),
  livesWithOrHasSignificantContactWithChildren: z.boolean(),
  childProtectionPlan: z.boolean(),
  assessedRiskToChildren: z.boolean(),
  registeredSexOffender: z.boolean(),
  domesticAbusePerpetrator: z.boolean(),
  subjectToDeportationOrder: z.boolean(),
  vulnerableToVictimisation: z.boolean(),
  threatOfDomesticAbuse: z.boolean().optional(),
  roshLevel: RoshSchema,
  mappa: MappaSchema.optional(),
  iom: z.boolean(),
  ppo: z.boolean(),
  marac: z.boolean(),
});

const orderCommon = {
  sentenceDate: isoDate,
  courtCode: code('courtCode'),
  convictionDate: isoDate.optional(),
  reviewProvision: z.boolean().optional(),
};
const CommunityOrderSchema = z.strictObject({ type: z.literal('CO'), ...orderCommon, endDate: isoDate });
// The upper limits depend on the conviction date (law.ts, ssoMaxMonths): the widest is checked here, the one in
// force for the conviction below.
const widestSso = LAW.ssoMaxMonths.versions[LAW.ssoMaxMonths.versions.length - 1]!.value;
const SsoSchema = z.strictObject({
  type: z.literal('SSO'),
  ...orderCommon,
  custodialTermDays: int(14, widestSso.custodialTermDays), // s.277: custody of at least 14 days may be suspended
  operationalPeriodMonths: int(U.ssoPeriodMonths.min, widestSso.operationalPeriodMonths),
  supervisionPeriodMonths: int(U.ssoPeriodMonths.min, U.ssoPeriodMonths.max).optional(),
});

/** A limited-access case's list of staff ids (domain/access.ts), at start or by command. */
export const staffList = (field: string) => z.array(code(field)).max(ACCESS_LIST_MAX);

export const SentenceInputSchema = z
  .strictObject({
    sentenceId: z.string().regex(SENTENCE_ID_PATTERN, 'sentenceId must be 1-64 letters, digits, "-" or "_" (e.g. CRN-event: X123456-1)'),
    caseReference: z.string().regex(/^[A-Z][0-9]{6}$/, 'caseReference must be a CRN: a capital letter and six digits'),
    order: z.discriminatedUnion('type', [CommunityOrderSchema, SsoSchema]),
    requirements: z.array(RequirementSchema).max(20),
    offender: OffenderSchema,
    provider: z.strictObject({ providerCode: code('providerCode'), areaCode: code('areaCode') }),
    responsibleOfficer: z.enum(['offender-manager', 'em-provider']),
    access: z
      .strictObject({ restrictedTo: staffList('restrictedTo').min(1).optional(), excluded: staffList('excluded').min(1).optional() })
      .optional(),
  })
  .superRefine((s, ctx) => {
    const o = s.order;
    if (isIsoDate(o.sentenceDate)) {
      try {
        timescalesFor(o.sentenceDate);
      } catch {
        ctx.addIssue({
          code: 'custom',
          path: ['order', 'sentenceDate'],
          message: `no timescales policy covers a sentence date before ${earliestPolicyDate()}`,
        });
      }
    }
    if (o.type === 'CO') checkCommunityOrder(o, s.requirements.length, ctx);
    else checkSuspendedSentence(o, s.requirements.length, ctx);
    if (o.convictionDate && isIsoDate(o.convictionDate) && isIsoDate(o.sentenceDate) && o.convictionDate > o.sentenceDate) {
      ctx.addIssue({ code: 'custom', path: ['order', 'convictionDate'], message: 'convictionDate cannot be after sentenceDate' });
    }
    checkRequirements(o, s.requirements, ctx);
  });

type ParsedOrder = z.infer<typeof CommunityOrderSchema> | z.infer<typeof SsoSchema>;
type Issues = z.core.$RefinementCtx;

/**
 * The latest end date a community order made on `sentenceDate` may have: "The end date must not be more than 3 years
 * after the date of the order" (Sentencing Act 2020 s.209(2)), so the corresponding date three years on (the last day
 * of February for an order made on 29 February).
 */
export const latestCommunityOrderEnd = (sentenceDate: IsoDate): IsoDate => shiftMonths(sentenceDate, U.coMaxMonths);

function checkCommunityOrder(o: z.infer<typeof CommunityOrderSchema>, requirements: number, ctx: Issues): void {
  if (requirements === 0) {
    ctx.addIssue({ code: 'custom', path: ['requirements'], message: 'a community order needs at least one requirement' });
  }
  if (isIsoDate(o.sentenceDate) && isIsoDate(o.endDate)) {
    if (o.endDate <= o.sentenceDate) {
      ctx.addIssue({ code: 'custom', path: ['order', 'endDate'], message: 'endDate must be after sentenceDate' });
    } else if (o.endDate > latestCommunityOrderEnd(o.sentenceDate)) {
      ctx.addIssue({
        code: 'custom',
        path: ['order', 'endDate'],
        message: `a community order's end date is not more than 3 years after the date of the order (Sentencing Act 2020 s.209(2)): ${latestCommunityOrderEnd(o.sentenceDate)} at the latest`,
      });
    }
  }
}

function checkSuspendedSentence(o: z.infer<typeof SsoSchema>, requirements: number, ctx: Issues): void {
  // An SSO "may also specify" community requirements, to be complied with during the supervision period (Sentencing
  // Act 2020 s.286(2)): one that imposes some has a supervision period (s.288), one that imposes none has none.
  const path = ['order', 'supervisionPeriodMonths'];
  if (requirements > 0 && o.supervisionPeriodMonths === undefined) {
    ctx.addIssue({
      code: 'custom',
      path,
      message: 'an SSO with community requirements has a supervision period (Sentencing Act 2020 s.288)',
    });
  }
  if (requirements === 0 && o.supervisionPeriodMonths !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path,
      message:
        'an SSO without community requirements has no supervision period (Sentencing Act 2020 s.286(2)): omit supervisionPeriodMonths',
    });
  }
  if (o.supervisionPeriodMonths !== undefined && o.supervisionPeriodMonths > o.operationalPeriodMonths) {
    ctx.addIssue({
      code: 'custom',
      path: ['order', 'supervisionPeriodMonths'],
      message: 'the supervision period may not be longer than the operational period',
    });
  }
  const convicted = o.convictionDate ?? o.sentenceDate;
  if (isIsoDate(convicted)) {
    const max = ruleOn(LAW.ssoMaxMonths, convicted);
    if (o.custodialTermDays > max.value.custodialTermDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['order', 'custodialTermDays'],
        message: `at most ${max.value.custodialTermDays} days may be suspended for a conviction on ${convicted} (${max.source})`,
      });
    }
    if (o.operationalPeriodMonths > max.value.operationalPeriodMonths) {
      ctx.addIssue({
        code: 'custom',
        path: ['order', 'operationalPeriodMonths'],
        message: `the operational period is at most ${max.value.operationalPeriodMonths} months for a conviction on ${convicted} (${max.source})`,
      });
    }
  }
}

function checkRequirements(o: ParsedOrder, requirements: z.infer<typeof RequirementSchema>[], ctx: Issues): void {
  requirements.forEach((r, i) => {
    if (r.type === 'drug-rehabilitation' && r.months > DRR_REVIEWS_REQUIRED_OVER_MONTHS && !r.courtReviews) {
      ctx.addIssue({
        code: 'custom',
        path: ['requirements', i, 'courtReviews'],
        message: `a DRR of more than ${DRR_REVIEWS_REQUIRED_OVER_MONTHS} months must provide for court reviews (Sentencing Act 2020 Sch 9 para 21)`,
      });
    }
  });
  // A requirement cannot run past the order (CO) or the supervision period (SSO).
  const window = o.type === 'CO' ? undefined : o.supervisionPeriodMonths;
  requirements.forEach((r, i) => {
    if (!('months' in r) || !isIsoDate(o.sentenceDate)) return;
    const limitEnd = o.type === 'CO' ? o.endDate : periodEnd(o.sentenceDate, window!);
    if (isIsoDate(limitEnd) && periodEnd(o.sentenceDate, r.months) > limitEnd) {
      ctx.addIssue({
        code: 'custom',
        path: ['requirements', i, 'months'],
        message: `the ${r.type} requirement would run past ${limitEnd}`,
      });
    }
  });
}

/** Optional header on commands: the same key again is a retry of the same command. */
export const IdempotencyKeySchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Idempotency-Key must be 1-128 letters, digits, ".", ":", "-" or "_"')
  .optional();

function pageCursor(max: number) {
  return z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/, 'cursor must be the next value a page answered with');
}

export const ListQuerySchema = z.strictObject({
  phase: z.enum(PHASES).optional(),
  offenderManager: code('offenderManager').optional(),
  area: code('area').optional(),
  provider: code('provider').optional(),
  orderType: z.enum(['CO', 'SSO']).optional(),
  roshLevel: RoshSchema.optional(),
  overdue: z.enum(['true', 'false']).optional(),
  nextDeadlineBefore: isoDate.optional(),
  /** The `next` of the page before (with the same filter): Temporal's page token, which may be longer than a store's. */
  cursor: pageCursor(2048).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A page's end, handed back by a list as `next` and taken as `cursor` (opaque to the client: base64url JSON). */
export const cursor = pageCursor(512);

/** GET /worklist: the caller's open work items (store/work.ts). */
export const WorklistQuerySchema = z
  .strictObject({
    /** Items due on or before this date (e.g. the end of this week); overdue ones included. */
    dueBefore: isoDate.optional(),
    dueAfter: isoDate.optional(),
    kind: z.enum(['deadline', 'output']).optional(),
    sentenceId: z.string().regex(SENTENCE_ID_PATTERN, 'sentenceId must be 1-64 letters, digits, "-" or "_"').optional(),
    cursor: cursor.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .refine((q) => !q.dueAfter || !q.dueBefore || q.dueAfter <= q.dueBefore, {
    message: 'dueAfter must not be after dueBefore',
    path: ['dueAfter'],
  });

/** GET /caseload: the cases the caller holds. */
export const CaseloadQuerySchema = z.strictObject({
  cursor: cursor.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** GET /alerts: the caller's alerts, unacknowledged unless all=true. */
export const AlertsQuerySchema = z.strictObject({
  all: z.enum(['true', 'false']).default('false'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** POST /sentences/:id/alerts/acknowledgement: the alert's key, as GET /alerts or the case's alerts give it. */
export const AcknowledgementSchema = z.strictObject({ key: z.string().min(1).max(300) });

/** GET /team: an area's allocation by workload, for its managers. */
export const TeamQuerySchema = z.strictObject({
  area: code('area').optional(),
  provider: code('provider').optional(),
});

export const DeliveriesQuerySchema = z.strictObject({
  sentenceId: z.string().regex(SENTENCE_ID_PATTERN, 'sentenceId must be 1-64 letters, digits, "-" or "_"'),
});

export const ConformanceQuerySchema = z
  .strictObject({
    area: code('area').optional(),
    provider: code('provider').optional(),
    orderType: z.enum(['CO', 'SSO']).optional(),
    /** Sentences with a sentence date on or after this date. */
    from: isoDate.optional(),
    /** Sentences with a sentence date on or before this date. */
    to: isoDate.optional(),
    /** read-model (default: fast, eventually consistent) or workflows (reads every case: authoritative, slow). */
    source: z.enum(['read-model', 'workflows']).default('read-model'),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from must not be after to', path: ['from'] });

// Compile-time proof that the schemas and the plain domain types agree in both directions.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _input: Same<z.infer<typeof SentenceInputSchema>, SentenceInput> = true;
void _input;

export interface Problem {
  path: string;
  message: string;
}

export function problemsOf(error: z.ZodError): Problem[] {
  return error.issues.map((i) => ({ path: i.path.join('.') || '(body)', message: i.message }));
}
