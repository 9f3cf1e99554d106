// The HTTP side of every command: one entry each, its route under /sentences/:id and the zod schema of its body. The
// compiler checks the table against the domain's registry (domain/commands.ts): a command without an entry, an entry
// without a command, or a schema whose type differs from the command's arguments fails to compile.
import { z } from 'zod';
import type { CommandArgs, CommandType } from '../contracts/index.ts';
import { APPOINTMENT_OUTCOMES, BREACH_RECOMMENDATION_CODES } from '../domain/enforcement.ts';
import { COMMAND_TERMINATION_REASONS, COURT_OUTCOMES, COURT_REPORT_KINDS, FAILURE_SOURCE_TYPES, NPS_DECISIONS } from '../domain/state.ts';
import { REQUIREMENT_TYPES } from '../domain/sentence.ts';
import { code, int, isoDate, MappaSchema, OffenderSchema, RequirementSchema, RoshSchema, staffList, type Same } from './schemas.ts';

export interface HttpCommand {
  /** The path under /sentences/:id. */
  route: string;
  schema: z.ZodType<object>;
}

export const HTTP_COMMANDS = {
  allocate: {
    route: 'allocation',
    schema: z.strictObject({ offenderManagerId: code('offenderManagerId'), allocatedOn: isoDate.optional() }),
  },
  'record-first-appointment': {
    route: 'first-appointment',
    schema: z.strictObject({ heldOn: isoDate.optional() }),
  },
  'complete-plan': {
    route: 'plan',
    schema: z.strictObject({ completedOn: isoDate.optional() }),
  },
  'complete-review': {
    route: 'reviews',
    schema: z.strictObject({ completedOn: isoDate.optional(), objectivesMet: z.boolean().optional() }),
  },
  'record-significant-change': {
    route: 'significant-changes',
    schema: z.strictObject({ changeCode: code('changeCode'), occurredOn: isoDate.optional() }),
  },
  terminate: {
    route: 'termination',
    schema: z.strictObject({ reason: z.enum(COMMAND_TERMINATION_REASONS), terminatedOn: isoDate.optional() }),
  },
  'complete-end-of-sentence-review': {
    route: 'end-of-sentence-review',
    schema: z.strictObject({ completedOn: isoDate.optional() }),
  },
  'record-output-evidence': {
    route: 'outputs/evidence',
    schema: z.strictObject({
      row: int(1, 36),
      part: code('part').optional(),
      on: isoDate.optional(),
      by: code('by'),
      what: z.string().min(1).max(500),
      reference: z.string().min(1).max(128).optional(),
      details: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/), z.union([z.string().max(200), z.boolean()])).optional(),
    }),
  },
  'record-output-not-possible': {
    route: 'outputs/not-possible',
    schema: z.strictObject({ row: int(1, 36), reason: z.string().min(1).max(500), by: code('by'), on: isoDate.optional() }),
  },
  'change-circumstances': {
    route: 'circumstances',
    schema: z.strictObject({
      offender: OffenderSchema.partial().optional(),
      facts: z
        .strictObject({
          homeVisitsByJudgement: z.boolean().optional(),
          referredToNps: z.boolean().optional(),
          careProgrammeApproach: z.boolean().optional(),
        })
        .optional(),
      on: isoDate.optional(),
    }),
  },
  'record-child-wellbeing-information': {
    route: 'child-wellbeing-information',
    schema: z.strictObject({ categoryCode: code('categoryCode'), by: code('by'), on: isoDate.optional() }),
  },
  'refer-to-nps': {
    route: 'nps-referral',
    schema: z.strictObject({ reasonCode: code('reasonCode'), by: code('by'), on: isoDate.optional() }),
  },
  'record-appointment': {
    route: 'appointments',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      date: isoDate,
      requirement: z.enum(REQUIREMENT_TYPES).optional(),
      induction: z.boolean().optional(),
    }),
  },
  'record-appointment-outcome': {
    route: 'appointments/outcome',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      outcome: z.enum(APPOINTMENT_OUTCOMES),
      reason: z.string().min(1).max(200).optional(),
      evidenceReference: z.string().min(1).max(128).optional(),
      on: isoDate.optional(),
    }),
  },
  'record-absence-evidence': {
    route: 'appointments/absence-evidence',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      reference: z.string().min(1).max(128),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'record-enforcement-decision': {
    route: 'enforcement/decision',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      decision: z.enum(['warning', 'referral', 'pending-response', 'excuse-accepted']),
      responseDueOn: isoDate.optional(),
      circumstances: z.string().min(1).max(500).optional(),
      on: isoDate.optional(),
    }),
  },
  'record-breach-action': {
    route: 'enforcement/breach-action',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      on: isoDate.optional(),
      /** The officer's recommendation to the court, kept with the case for the breach report (the order's type's powers). */
      recommendation: z.enum(BREACH_RECOMMENDATION_CODES).optional(),
    }),
  },
  'record-court-outcome': {
    route: 'enforcement/court-outcome',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      outcome: z.enum(COURT_OUTCOMES),
      extendMonths: int(1, 6).optional(),
      reasonCode: code('reasonCode').optional(),
      requirements: z.array(RequirementSchema).max(20).optional(),
      on: isoDate.optional(),
    }),
  },
  'record-further-offence': {
    route: 'enforcement/further-offence',
    schema: z.strictObject({
      offenceId: code('offenceId', 40),
      offenceOn: isoDate,
      convictedOn: isoDate,
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'withdraw-warning': {
    route: 'enforcement/warning-withdrawal',
    schema: z.strictObject({
      appointmentId: code('appointmentId', 40),
      reasonCode: code('reasonCode'),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'record-failure-to-comply': {
    route: 'enforcement/failures',
    schema: z.strictObject({
      failureId: code('failureId', 40),
      source: z.enum(FAILURE_SOURCE_TYPES),
      occurredOn: isoDate,
      reportedBy: code('reportedBy'),
      on: isoDate.optional(),
    }),
  },
  'record-risk-information': {
    route: 'risk',
    schema: z.strictObject({
      roshLevel: RoshSchema.optional(),
      mappa: z.union([MappaSchema, z.null()]).optional(),
      escalationSuggested: z.boolean().optional(),
      sourceCode: code('sourceCode'),
      assessmentTool: code('assessmentTool').optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'record-nps-decision': {
    route: 'nps-decision',
    schema: z.strictObject({
      decision: z.enum(NPS_DECISIONS),
      roshLevel: RoshSchema,
      offenderManagerId: code('offenderManagerId').optional(),
      providerCode: code('providerCode').optional(),
      areaCode: code('areaCode').optional(),
      riskReviewOn: isoDate.optional(),
      reasonCode: code('reasonCode').optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'request-transfer': {
    route: 'transfers',
    schema: z.strictObject({
      transferId: code('transferId', 40),
      toProviderCode: code('toProviderCode'),
      toAreaCode: code('toAreaCode'),
      toCourtCode: code('toCourtCode').optional(),
      reasonCode: code('reasonCode'),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'decide-transfer': {
    route: 'transfers/decision',
    schema: z.strictObject({
      transferId: code('transferId', 40),
      decision: z.enum(['approved', 'refused']),
      reasonCode: code('reasonCode').optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'respond-to-transfer': {
    route: 'transfers/response',
    schema: z.strictObject({
      transferId: code('transferId', 40),
      decision: z.enum(['accepted', 'rejected']),
      offenderManagerId: code('offenderManagerId').optional(),
      reasonCode: code('reasonCode').optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'request-court-report': {
    route: 'court-reports',
    schema: z.strictObject({
      reportId: code('reportId', 40),
      kind: z.enum(COURT_REPORT_KINDS.filter((k) => k !== 'drr-progress') as ['progress', 'breach', 'other']),
      dueOn: isoDate,
      hearingOn: isoDate.optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'submit-court-report': {
    route: 'court-reports/submission',
    schema: z.strictObject({
      reportId: code('reportId', 40),
      reference: z.string().min(1).max(128).optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'record-requirement-progress': {
    route: 'requirements/progress',
    schema: z.strictObject({
      requirementIndex: int(0, 19),
      amount: z.number().positive().max(168).optional(),
      completed: z.boolean().optional(),
      removedFromPlacement: z.boolean().optional(),
      by: code('by'),
      on: isoDate.optional(),
    }),
  },
  'apply-for-early-revocation': {
    route: 'early-revocation/application',
    schema: z.strictObject({ by: code('by'), on: isoDate.optional() }),
  },
  'record-revocation-decision': {
    route: 'early-revocation/decision',
    schema: z.strictObject({ decision: z.enum(['granted', 'refused']), by: code('by'), on: isoDate.optional() }),
  },
  'end-order-by-officer': {
    route: 'early-termination',
    schema: z.strictObject({ noFurtherInstructionsNeeded: z.boolean(), by: code('by'), on: isoDate.optional() }),
  },
  'set-case-access': {
    route: 'access',
    schema: z
      .strictObject({ restrictedTo: staffList('restrictedTo').optional(), excluded: staffList('excluded').optional() })
      .refine((a) => a.restrictedTo !== undefined || a.excluded !== undefined, 'name restrictedTo, excluded or both'),
  },
} satisfies { [T in CommandType]: HttpCommand };

// Each schema's type is exactly its command's arguments, in both directions.
type SchemaMatches = { [T in CommandType]: Same<z.infer<(typeof HTTP_COMMANDS)[T]['schema']>, CommandArgs<T>> };
const _schemasMatch: { [T in CommandType]: true } = {} as SchemaMatches;
void _schemasMatch;

/** The commands with their HTTP entries, for code that handles every command alike (routes, the API description). */
export const httpCommands = Object.entries(HTTP_COMMANDS) as [CommandType, HttpCommand][];
