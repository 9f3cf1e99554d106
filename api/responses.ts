// The API's response schemas: what each route answers, as zod, for the OpenAPI document (api/openapi.ts) and the
// tests that check every answer against it (test/support/openapi.ts). Each named schema is registered under the name
// it has in the document's components. The compiler checks the larger shapes against the code that builds them
// (test/unit/openapi.test.ts): a field the code answers with and the schema does not describe fails to compile.
import { z } from 'zod';
import { PHASES } from '../domain/lifecycle.ts';
import { TIMELINE_EVENTS, TERMINATION_REASONS } from '../domain/state.ts';
import { REFUSAL_CODES } from '../domain/refusals.ts';
import { RoshSchema, SentenceInputSchema } from './schemas.ts';

/** The document's named schemas: each is `#/components/schemas/<id>`. */
export const components = z.registry<{ id: string; description?: string }>();

const named = <S extends z.ZodType>(id: string, schema: S, description?: string): S => {
  components.add(schema, { id, ...(description && { description }) });
  return schema;
};

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .meta({ format: 'date' });
const instant = z.string().meta({ format: 'date-time' });

named('SentenceInput', SentenceInputSchema, 'A sentence as the case system starts it (POST /sentences)');

export const ProblemSchema = named(
  'Problem',
  z.strictObject({
    type: z
      .string()
      .meta({ description: 'The problem type, a URI relative to the API (`/problems/<code>`): it resolves to its description' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().meta({ description: 'What went wrong, in words, naming the route as a client knows it' }),
    error: z.string().meta({ description: 'The same as detail, for clients written before problems' }),
    route: z.string().optional().meta({ description: 'The route that answered, e.g. `POST /sentences/:id/plan`' }),
    problems: z
      .array(z.strictObject({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each invalid field of a 400' }),
    validIn: z.array(z.enum(PHASES)).optional().meta({ description: 'For a command refused in this phase: the phases where it is valid' }),
  }),
  'An RFC 9457 problem (application/problem+json)',
);

export const ActorSchema = named(
  'Actor',
  z.strictObject({ id: z.string(), kind: z.enum(['user', 'client']), roles: z.array(z.string()), clientId: z.string() }),
  'Who sent a command: the principal its access token named',
);

export const DeadlineSchema = named(
  'Deadline',
  z.strictObject({
    id: z.string(),
    kind: z.string(),
    label: z.string(),
    dueDate: date,
    expiresAt: instant,
    status: z.enum(['pending', 'met', 'met-late', 'overdue', 'missed', 'cancelled']),
    metOn: date.optional(),
    overdueSince: instant.optional(),
    businessDaysLate: z.number().int().optional(),
  }),
);

export const TimelineEntrySchema = named(
  'TimelineEntry',
  z.strictObject({ at: instant, event: z.enum(TIMELINE_EVENTS), detail: z.string(), actor: ActorSchema.optional() }),
);

const DatesSchema = z.strictObject({ sentenceDate: date, supervisionEnd: date.optional(), orderEnd: date });
const TerminationSchema = z.strictObject({ reason: z.enum(TERMINATION_REASONS), on: date }).nullable();
const OwnerSchema = z.strictObject({ providerCode: z.string(), areaCode: z.string(), offenderManagerId: z.string().nullable() });

export const SummarySchema = named(
  'CaseSummary',
  z.strictObject({
    sentenceId: z.string(),
    phase: z.enum(PHASES),
    waitingFor: z.string(),
    nextDeadline: z.strictObject({ id: z.string(), label: z.string(), dueDate: date, status: DeadlineSchema.shape.status }).nullable(),
    overdueDeadlines: z.number().int(),
    overdueOutputs: z.number().int(),
    owner: OwnerSchema,
    dates: DatesSchema,
    termination: TerminationSchema,
    signalsRejected: z.number().int().meta({ description: 'Signals the case could not take' }),
    runs: z.number().int().meta({ description: 'How many times its workflow has continued as new' }),
  }),
  'The case in brief: what it waits for and what is late, without its records',
);

/** A part of the case view this schema names but does not detail: an object whose members are those of the domain. */
const record = (description: string) => z.looseObject({}).meta({ description }) as unknown as z.ZodType<object>;

export const CaseViewSchema = named(
  'Sentence',
  z.strictObject({
    sentenceId: z.string(),
    workflowId: z.string(),
    phase: z.enum(PHASES),
    waitingFor: z.string(),
    overdue: z.boolean(),
    overdueDeadlines: z.number().int(),
    overdueOutputs: z.number().int(),
    offenderManagerId: z.string().nullable(),
    policyVersion: z.string(),
    dates: DatesSchema,
    milestones: z.strictObject({
      allocatedOn: date.optional(),
      firstAppointmentOn: date.optional(),
      planAgreedOn: date.optional(),
      lastReviewOn: date.optional(),
      supervisionEndedOn: date.optional(),
      involvementEndedOn: date.optional(),
      closedOn: date.optional(),
    }),
    termination: TerminationSchema,
    deadlines: z.array(DeadlineSchema),
    compliance: record('The compliance position: failures, warnings, what enforcement decision is due and what the law allows now'),
    appointments: z.array(record('An appointment booked, with its outcome once recorded')),
    owner: OwnerSchema.extend({ courtCode: z.string() }),
    ownership: z.array(
      z.strictObject({
        providerCode: z.string(),
        areaCode: z.string(),
        offenderManagerId: z.string().optional(),
        from: date,
        to: date.optional(),
        reason: z.string(),
      }),
    ),
    risk: z
      .looseObject({ roshLevel: RoshSchema, mappa: z.strictObject({ category: z.number().int(), level: z.number().int() }).nullable() })
      .meta({ description: 'RoSH level and MAPPA, with the risk records, referrals to the NPS and planned risk reviews' }),
    transfers: z.array(record('A transfer, with its status')),
    courtReports: z.array(z.looseObject({ status: z.string() }).meta({ description: 'A court report, with the status of its deadline' })),
    progress: record('Progress per requirement, early revocation (with its blockers) and ending by the officer'),
    law: z.strictObject({
      unpaidWorkCredit: z
        .strictObject({ qualifyingFraction: z.number(), creditMinutesPerHour: z.number() })
        .nullable()
        .meta({ description: 'The unpaid work credit the sentence earns (Sentencing Act 2026), or none' }),
      officerMayEndOrder: z.boolean(),
      sources: z.array(z.string()),
    }),
    timeline: z.array(TimelineEntrySchema),
    timelineOmitted: z.number().int(),
    signalsRejected: z.strictObject({
      count: z.number().int(),
      latest: z.array(
        z.strictObject({ at: instant, type: z.string(), reason: z.string(), commandId: z.string().optional(), times: z.number().int() }),
      ),
    }),
    sentence: SentenceInputSchema,
    seenBy: z
      .array(z.strictObject({ principal: z.string(), roles: z.array(z.string()), lastAt: instant, times: z.number().int() }))
      .optional()
      .meta({ description: 'Who has read or acted on the case: for those who hold it and their managers' }),
  }),
  'The whole case: phase, deadlines, compliance, owner, risk, transfers, court reports, progress, law and timeline',
);

export const ChangeSchema = z.union([
  z.strictObject({ op: z.enum(['add', 'replace']), path: z.string(), value: z.unknown() }),
  z.strictObject({ op: z.literal('remove'), path: z.string() }),
]);

export const CommandAnswerSchema = named(
  'CommandAnswer',
  SummarySchema.extend({
    command: z.string().meta({ description: 'The command applied' }),
    changes: z.array(ChangeSchema).nullable().meta({
      description: "A JSON Patch (RFC 6902) of the case's state from before the command to after it; null when an older worker answered",
    }),
    repeated: z.literal(true).optional().meta({ description: 'The Idempotency-Key had been applied already: nothing changed' }),
  }),
  'What a command changed: the case in brief, the command and a JSON Patch of the state',
);

export const SignalAcceptedSchema = named(
  'SignalAccepted',
  z.strictObject({
    accepted: z.literal(true),
    sentenceId: z.string(),
    command: z.string(),
    commandId: z.string(),
    via: z.literal('signal'),
  }),
  'A command sent as a Signal (Prefer: respond-async): the case applies it, or counts it in signalsRejected with why',
);

export const StartedSchema = named(
  'StartPending',
  z.strictObject({ sentenceId: z.string(), started: z.literal(true), message: z.string() }),
  'Started, but its workflow has not answered yet (no worker): GET it, or send the same request again later',
);

export const EvidenceSchema = z.strictObject({
  at: instant,
  on: date,
  by: z.string(),
  what: z.string().optional().meta({ description: 'Absent for a reader without personal data' }),
  reference: z.string().optional(),
  part: z.string().optional(),
  details: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
  late: z.boolean().optional(),
  actor: ActorSchema.optional(),
});

const STATUSES = ['not-applicable', 'pending', 'due', 'done', 'late', 'overdue', 'not-possible', 'action-needed'] as const;

export const OutputsSchema = named(
  'OutputsLedger',
  z.strictObject({
    sentenceId: z.string(),
    level: z.enum(['A', 'B', 'C']),
    counts: z
      .partialRecord(z.enum(STATUSES), z.number().int())
      .meta({ description: 'How many rows have each status (a status no row has is left out)' }),
    outputs: z.array(
      z.strictObject({
        row: z.number().int().min(1).max(36),
        applies: z.boolean(),
        reason: z.string(),
        status: z.enum(STATUSES),
        dueDate: date.optional(),
        trigger: z.string().optional(),
        openSince: date.optional(),
        evidence: z.array(EvidenceSchema),
        notPossible: z.strictObject({ reason: z.string(), on: date, by: z.string() }).optional(),
        actionNeeded: z.string().optional(),
        appliesSince: date.optional(),
        closed: z.boolean().optional(),
        parts: z
          .array(
            z.strictObject({
              id: z.string(),
              applies: z.boolean(),
              reason: z.string(),
              evidence: z.array(EvidenceSchema),
              actionNeeded: z.string().optional(),
            }),
          )
          .optional(),
        summary: z.string(),
        type: z.enum(['A', 'B', 'C']),
        em: z.boolean(),
        element: z.string(),
        delivery: z.enum(['system', 'manager']),
        source: z.string(),
      }),
    ),
  }),
  'The National Minimum outputs ledger: every row, whether it applies and why, status, due date, evidence (rows 2 and 19 per part)',
);

export const SentenceListSchema = named(
  'SentenceList',
  z.strictObject({
    query: z.string().nullable().meta({ description: 'The visibility query the list ran (null: the caller may see no case)' }),
    count: z.number().int(),
    items: z.array(
      z.strictObject({
        sentenceId: z.string(),
        workflowId: z.string(),
        status: z.string(),
        orderType: z.string().nullable(),
        phase: z.string().nullable(),
        offenderManagerId: z.string().nullable(),
        areaCode: z.string().nullable(),
        providerCode: z.string().nullable(),
        roshLevel: z.string().nullable(),
        overdue: z.boolean(),
        nextDeadline: date.nullable(),
      }),
    ),
    next: z.string().nullable().meta({ description: 'Pass back as `cursor` for the next page; null on the last' }),
  }),
);

export const WorklistItemSchema = z.strictObject({
  sentenceId: z.string(),
  key: z.string(),
  kind: z.enum(['deadline', 'output']),
  what: z.string(),
  label: z.string(),
  dueDate: date,
  overdue: z.boolean(),
  escalated: z.boolean(),
  holder: z.string().nullable(),
  areaCode: z.string(),
  because: z.enum(['holds-the-case', 'unallocated', 'overdue-escalated']),
  openedAt: instant,
});

export const WorklistSchema = named(
  'Worklist',
  z.strictObject({ items: z.array(WorklistItemSchema), next: z.string().nullable() }),
  'A page of the caller\u2019s open work items; pass `next` back as `cursor`',
);

export const CaseloadEntrySchema = z.strictObject({
  sentenceId: z.string(),
  orderType: z.string(),
  phase: z.string(),
  roshLevel: z.string().nullable(),
  requirements: z.array(z.string()),
  next: z.strictObject({ key: z.string(), label: z.string(), dueDate: date }).nullable(),
  overdueDeadlines: z.number().int(),
  overdueOutputs: z.number().int(),
});

export const CaseloadSchema = named(
  'Caseload',
  z.strictObject({ cases: z.array(CaseloadEntrySchema), next: z.string().nullable() }),
  'A page of the cases the caller holds; pass `next` back as `cursor`',
);

const heldCase = { sentenceId: z.string(), roshLevel: z.string().nullable(), requirements: z.array(z.string()) };
export const TeamSchema = named(
  'Team',
  z.strictObject({
    areaCode: z.string(),
    officers: z.array(z.strictObject({ offenderManagerId: z.string(), cases: z.array(z.strictObject(heldCase)) })),
    unallocated: z.array(z.strictObject({ ...heldCase, orderType: z.string(), sentenceDate: date })),
  }),
  'An area\u2019s allocation by workload',
);

export const AlertSchema = named(
  'Alert',
  z.strictObject({
    idempotencyKey: z.string().meta({ description: 'The alert\u2019s key: acknowledge it with this' }),
    sentenceId: z.string(),
    kind: z.enum([
      'deadline-overdue',
      'output-overdue',
      'output-not-delivered',
      'risk-review-raised',
      'transfer-timed-out',
      'transfer-rejected',
    ]),
    deadlineId: z.string(),
    label: z.string(),
    dueDate: z.string(),
    overdueSince: z.string(),
    offenderManagerId: z.string().nullable().optional().meta({ description: 'Who held the case when it was raised (null: unallocated)' }),
    areaCode: z.string(),
    createdAt: instant,
    acknowledgedAt: instant.nullable(),
    acknowledgedBy: z.string().nullable().optional(),
  }),
);

export const AlertsSchema = named('Alerts', z.strictObject({ alerts: z.array(AlertSchema) }));

export const AcknowledgedSchema = named(
  'AlertAcknowledged',
  AlertSchema.extend({ repeated: z.literal(true).optional().meta({ description: 'It had been acknowledged already' }) }),
);

export const conformanceRow = z.strictObject({
  row: z.number().int(),
  summary: z.string(),
  type: z.enum(['A', 'B', 'C']),
  applied: z.number().int(),
  onTime: z.number().int(),
  late: z.number().int(),
  overdue: z.number().int(),
  notPossible: z.number().int(),
  open: z.number().int(),
});

export const ConformanceSchema = named(
  'ConformanceReport',
  z.strictObject({
    filters: z.strictObject({
      area: z.string().optional(),
      provider: z.string().optional(),
      orderType: z.enum(['CO', 'SSO']).optional(),
      from: date.optional(),
      to: date.optional(),
    }),
    source: z.enum(['read-model', 'workflows']),
    readMs: z.number().int(),
    cases: z.number().int(),
    rows: z.array(conformanceRow),
    query: z.string().optional().meta({ description: 'source=workflows: the visibility query listed' }),
    listed: z.number().int().optional().meta({ description: 'source=workflows: the cases listed' }),
    unreadable: z.number().int().optional().meta({ description: 'source=workflows: the cases whose workflow could not be read' }),
  }),
);

export const DeliveriesSchema = named(
  'Deliveries',
  z.strictObject({
    sentenceId: z.string(),
    count: z.number().int(),
    items: z.array(
      z.strictObject({
        idempotencyKey: z.string(),
        sentenceId: z.string(),
        recipient: z.string(),
        row: z.number().int(),
        event: z.string(),
        channel: z.enum(['http', 'held']),
        status: z.enum(['pending', 'delivered', 'held', 'rejected']),
        attempts: z.number().int(),
        lastError: z.string().nullable(),
        createdAt: instant,
        deliveredAt: instant.nullable(),
        message: z
          .strictObject({
            idempotencyKey: z.string(),
            recipient: z.enum(['case-system', 'csc', 'police', 'immigration', 'partner-agencies', 'nps']),
            row: z.number().int(),
            part: z.string().optional(),
            event: z.string(),
            sentenceId: z.string(),
            caseReference: z.string(),
            orderType: z.enum(['CO', 'SSO']),
            sentenceDate: date,
            orderEnd: date,
            providerCode: z.string(),
            areaCode: z.string(),
            offenderManagerId: z.string().optional(),
            basis: z.string().optional(),
            terminationReason: z.string().optional(),
            supervisionEndedOn: date.optional(),
          })
          .meta({ description: 'The notification as sent: identifiers and codes only' }),
      }),
    ),
  }),
);

export const AuditSchema = named(
  'AuditTrail',
  z.strictObject({
    filters: z.strictObject({
      sentenceId: z.string().optional(),
      principal: z.string().optional(),
      from: z.string().optional(),
      to: z.string().optional(),
      limit: z.number().int(),
    }),
    count: z.number().int(),
    items: z.array(
      z.strictObject({
        id: z.string(),
        at: instant,
        principal: z.string(),
        principalKind: z.enum(['user', 'client']),
        roles: z.array(z.string()),
        clientId: z.string(),
        method: z.string(),
        route: z.string(),
        command: z.string().optional(),
        sentenceId: z.string().optional(),
        status: z.number().int(),
        requestId: z.string().optional(),
      }),
    ),
  }),
);

export const LiveSchema = named('Live', z.strictObject({ status: z.literal('ok') }));
export const ReadySchema = named(
  'Ready',
  z.strictObject({
    ready: z.boolean(),
    draining: z.boolean(),
    checks: z.record(z.string(), z.string()).meta({ description: 'Each check\u2019s outcome: `ok`, or `failing: <why>`' }),
  }),
);

const problemType = z.strictObject({ type: z.string(), status: z.number().int(), title: z.string() });
export const ProblemTypesSchema = named('ProblemTypes', z.strictObject({ problems: z.array(problemType) }));
export const ProblemTypeSchema = named('ProblemType', problemType);
/** The refusal codes a 409 may carry as its type (domain/refusals.ts). */
export const REFUSAL_TYPES = REFUSAL_CODES.map((c) => `/problems/${c}`);
