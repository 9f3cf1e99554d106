// What each role may do: the one table of rights (README, "Access"). A right is a command type (api/commands.ts) or a
// kind of read. Case-bound rights apply only to cases in the principal's scope (provider and areas: auth/principal.ts);
// a case outside it answers 404, as if it did not exist, so its existence is not disclosed. A right the role lacks
// answers 403.
import type { CommandType } from '../domain/commands.ts';
import { COMMAND_TYPES } from '../domain/commands.ts';
import type { Principal, Role } from './principal.ts';

export const READS = [
  'start', // POST /sentences
  'list', // GET /sentences
  'view', // GET /sentences/:id
  'outputs', // GET /sentences/:id/outputs
  'deliveries', // GET /deliveries?sentenceId=
  'conformance', // GET /reports/conformance
  'audit', // GET /audit
  'metrics', // GET /metrics
  'codec', // POST /codec/decode, /codec/encode (the Temporal Web UI's codec server)
  'seen-by', // a case's view answers who has seen it (its holder and managers)
  'worklist', // GET /worklist (the caller's own work items; a manager's also the area's)
  'caseload', // GET /caseload (the cases the caller holds)
  'team', // GET /team (an area's allocation by workload)
  'alerts', // GET /alerts (the caller's alerts), POST /sentences/:id/alerts/acknowledgement
  'letters', // GET /sentences/:id/letters/... (the warning letter, as PDF)
] as const;
export type Read = (typeof READS)[number];
export type Right = Read | CommandType;

/** Manager decisions: allocation, the decisions on transfers, and who may see a limited-access case. */
const MANAGER_COMMANDS: CommandType[] = ['allocate', 'decide-transfer', 'respond-to-transfer', 'set-case-access'];
/** The NPS's decision on a referral. */
const NPS_COMMANDS: CommandType[] = ['record-nps-decision'];
/**
 * What the case system and the other systems that know send as events: risk information, transfer requests, and
 * failures to comply reported by the monitoring provider or a testing service.
 */
const CASE_SYSTEM_COMMANDS: CommandType[] = ['record-risk-information', 'request-transfer', 'record-failure-to-comply'];
/** The everyday commands of the practitioner holding the case, or of their team. */
const PRACTITIONER_COMMANDS = COMMAND_TYPES.filter((t) => !MANAGER_COMMANDS.includes(t) && !NPS_COMMANDS.includes(t));

export const RIGHTS: Record<Role, readonly Right[]> = {
  'case-system': ['start', 'view', ...CASE_SYSTEM_COMMANDS],
  practitioner: ['list', 'view', 'outputs', 'deliveries', 'seen-by', 'worklist', 'caseload', 'alerts', 'letters', ...PRACTITIONER_COMMANDS],
  'senior-probation-officer': [
    'list',
    'view',
    'outputs',
    'deliveries',
    'conformance',
    'seen-by',
    'worklist',
    'caseload',
    'team',
    'alerts',
    'letters',
    ...PRACTITIONER_COMMANDS,
    ...MANAGER_COMMANDS,
  ],
  nps: ['list', 'view', 'outputs', ...NPS_COMMANDS],
  auditor: ['conformance', 'outputs', 'audit'],
  operator: ['metrics', 'codec'],
};

export function may(p: Principal, right: Right): boolean {
  return p.roles.some((r) => RIGHTS[r].includes(right));
}

/**
 * Whether the principal reads case data with the personal and free-text fields removed: an auditor reads the outputs
 * ledger's statuses, dates and references, not what the evidence says.
 */
export function readsWithoutPersonalData(p: Principal): boolean {
  return !p.roles.some((r) => r !== 'auditor' && RIGHTS[r].includes('outputs'));
}

/**
 * Whether the principal reads only the cases it started (the client named in the sentence's memo): a case system, and
 * nothing else. Sentences started before that was recorded (0.4.0) name no one and stay visible to it.
 */
export function readsOnlyWhatItStarted(p: Principal): boolean {
  return p.roles.length > 0 && p.roles.every((r) => r === 'case-system');
}
