// One definition of every Temporal message, search attribute and name that the workflow, the worker, the API and
// the tests share. Light enough for the workflow bundle (no zod, no Node APIs).
import {
  defineSearchAttributeKey,
  SearchAttributeType,
  type SearchAttributePair,
  type SearchAttributeUpdatePair,
  type SignalDefinition,
  type UpdateDefinition,
} from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { currentCalendarVersion } from '../domain/calendar/index.ts';
import { CURRENT_RULES } from '../domain/rules.ts';
import {
  COMMAND_TYPES,
  SIGNAL_COMMAND_TYPES,
  type Command,
  type CommandArgs,
  type CommandType,
  type SignalCommandType,
} from '../domain/commands.ts';
import type { CaseSummary, SentenceState } from '../domain/lifecycle.ts';
import type { CommandAnswer } from '../domain/changes.ts';
import type { Actor } from '../domain/state.ts';
import type { Viewer } from '../domain/visibility.ts';
import { isOverdue, nextDeadline } from '../domain/lifecycle.ts';
import { overdueOutputs } from '../domain/outputs/ledger.ts';
import type { SentenceInput } from '../domain/sentence.ts';

export const TASK_QUEUE = 'sentence-orchestrator';
export const WORKFLOW_TYPE = 'sentenceWorkflow';

/** Workflow ids are derived from the case system's sentence id, so one sentence has one workflow. */
export function workflowIdFor(sentenceId: string): string {
  return `sentence-${sentenceId}`;
}

/**
 * A new sentence (with the calendar version it computes with, recorded in its history so that a later bank-holiday
 * refresh cannot change it on replay; absent in sentences started by release 0.1.0, which used the first calendar), or
 * the state carried across continue-as-new.
 */
export type SentenceWorkflowInput =
  { sentence: SentenceInput; inputHash: string; calendarVersion?: string; rulesVersion?: number } | { carried: SentenceState };

/**
 * The input that starts a sentence's workflow: every starter (the API, a case system's own client) uses this. Inputs
 * from before 0.5.0 name no rules version: those sentences began with the first (domain/rules.ts).
 */
export function newSentenceInput(sentence: SentenceInput, inputHash: string): SentenceWorkflowInput {
  return { sentence, inputHash, calendarVersion: currentCalendarVersion(), rulesVersion: CURRENT_RULES };
}

// --- messages -------------------------------------------------------------------------------------------------

export const stateQuery = defineQuery<SentenceState>('state');
/** The compact form of the state query: the case in brief, a few hundred bytes whatever its age (domain caseSummary). */
export const summaryQuery = defineQuery<CaseSummary>('summary');

/**
 * The Update a start carries (update-with-start, the early-return pattern): it changes nothing and answers with the
 * sentence as it commenced, so that POST /sentences answers in one round trip instead of a start and then a query.
 */
export const startAnswerUpdate = defineUpdate<SentenceState, []>('answer-start');

export type { CommandArgs, CommandType, SignalCommandType } from '../domain/commands.ts';
/** Every command, from the domain's registry (domain/commands.ts): each is a Temporal Update of the same name. */
export { COMMAND_TYPES, SIGNAL_COMMAND_TYPES } from '../domain/commands.ts';

/**
 * What travels beside a command's arguments: who sent it (the API's authenticated principal), recorded on the
 * timeline entries and the evidence the command adds. Updates recorded before 0.4.0 have none.
 */
export interface CommandMeta {
  actor?: Actor;
  /** Who may see the case (domain/visibility.ts): required by the in-scope Updates, which check it before the command. */
  viewer?: Viewer;
}

/**
 * What a command's Update answers: what it changed and the case in brief (COMMANDS_ANSWER_CHANGES); the whole state in
 * runs recorded before that patch (and from a worker older than it, during a deployment).
 */
export type CommandResult = CommandAnswer | SentenceState;
export type { Change, CommandAnswer } from '../domain/changes.ts';
export { isCommandAnswer } from '../domain/changes.ts';

/** One Update per command, named by its type, derived from the registry (nothing to list by hand). */
export const commandUpdates = Object.fromEntries(COMMAND_TYPES.map((t) => [t, defineUpdate(t)])) as {
  [T in CommandType]: UpdateDefinition<CommandResult, [CommandArgs<T>, CommandMeta?], T>;
};

/**
 * The same commands, each checking first that the caller may see the case (CommandMeta.viewer, domain/visibility.ts)
 * in the workflow's own step, so the API needs no read of where the case is held before a command. The names are new
 * so that an older worker, which has no such handler, refuses the Update ("No registered handler") rather than apply it
 * unchecked: the API then checks where the case is held itself and sends the command's own Update (api/app.ts).
 */
export const IN_SCOPE_PREFIX = 'in-scope:';
export const inScopeCommandUpdates = Object.fromEntries(COMMAND_TYPES.map((t) => [t, defineUpdate(`${IN_SCOPE_PREFIX}${t}`)])) as {
  [T in CommandType]: UpdateDefinition<CommandResult, [CommandArgs<T>, CommandMeta & { viewer: Viewer }], `${typeof IN_SCOPE_PREFIX}${T}`>;
};

/** ApplicationFailure type of an in-scope Update whose caller may not see the case (the API answers 404). */
export const CASE_NOT_VISIBLE = 'CaseNotVisible';

/**
 * Commands that other systems may also send as Signals (fire and forget: no answer, never blocked by the worker):
 * those whose spec says `signal: true` (risk information from the police, a prison or an assessment system, and a
 * transfer request). A signal the case cannot take is not lost: the workflow records it on the timeline with the
 * reason (`signal-rejected`). `commandId` plays the part of the Idempotency-Key: a signal sent twice with the same
 * id is applied once.
 */
export type SignalArgs<T extends SignalCommandType> = CommandArgs<T> & { commandId?: string; actor?: Actor };

export const commandSignals = Object.fromEntries(SIGNAL_COMMAND_TYPES.map((t) => [t, defineSignal(t)])) as {
  [T in SignalCommandType]: SignalDefinition<[SignalArgs<T>], T>;
};

export function anyCommandSignal(
  type: SignalCommandType,
): SignalDefinition<[Omit<Command, 'type'> & { commandId?: string; actor?: Actor }]> {
  return commandSignals[type] as SignalDefinition<[never]>;
}

/** A command's update without its body type, for code that handles every command alike (the workflow's handler
 * loop, the API's routes); the body has been validated for its own type before it gets here. */
export function anyCommandUpdate(type: CommandType): UpdateDefinition<CommandResult, [Omit<Command, 'type'>, CommandMeta?]> {
  return commandUpdates[type] as UpdateDefinition<CommandResult, [never]>;
}

/** A command's in-scope update without its body type (the counterpart of anyCommandUpdate). */
export function anyInScopeCommandUpdate(
  type: CommandType,
): UpdateDefinition<CommandResult, [Omit<Command, 'type'>, CommandMeta & { viewer: Viewer }]> {
  return inScopeCommandUpdates[type] as UpdateDefinition<CommandResult, [never, never]>;
}

/** ApplicationFailure type of a command that the validator refused (the API maps it to 409). */
export const COMMAND_REJECTED = 'CommandRejected';

// --- search attributes (identifiers and codes only: they are never encrypted) ---------------------------------

export const SA = {
  orderType: defineSearchAttributeKey('OrderType', SearchAttributeType.KEYWORD),
  phase: defineSearchAttributeKey('SentencePhase', SearchAttributeType.KEYWORD),
  offenderManagerId: defineSearchAttributeKey('OffenderManagerId', SearchAttributeType.KEYWORD),
  areaCode: defineSearchAttributeKey('ProbationArea', SearchAttributeType.KEYWORD),
  providerCode: defineSearchAttributeKey('ProviderCode', SearchAttributeType.KEYWORD),
  roshLevel: defineSearchAttributeKey('RoshLevel', SearchAttributeType.KEYWORD),
  /**
   * No longer indexed (the case reference identifies the person, and search attributes are stored in clear): sentences
   * started since 0.3.0 never carry it, and a running one drops it at its next update (CASE_REFERENCE_NOT_INDEXED).
   * Still registered, for the sentences recorded with it.
   */
  caseReference: defineSearchAttributeKey('CaseReference', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  /** A limited-access case's lists (staff ids: SentenceInput.access), so that lists never show it to those kept out. */
  restrictedTo: defineSearchAttributeKey('RestrictedTo', SearchAttributeType.KEYWORD_LIST),
  excludedStaff: defineSearchAttributeKey('ExcludedStaff', SearchAttributeType.KEYWORD_LIST),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  /** How many National Minimum outputs are overdue or need action (a count: no personal data). */
  overdueOutputs: defineSearchAttributeKey('OverdueOutputs', SearchAttributeType.INT),
} as const;

export const SEARCH_ATTRIBUTES = Object.values(SA);

/** `temporal` CLI type names, for registering the attributes (start-dev --search-attribute, operator create). */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<string, string> = Object.fromEntries(
  SEARCH_ATTRIBUTES.map((k) => [
    k.name,
    {
      [SearchAttributeType.KEYWORD]: 'Keyword',
      [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
      [SearchAttributeType.DATETIME]: 'Datetime',
      [SearchAttributeType.BOOL]: 'Bool',
      [SearchAttributeType.INT]: 'Int',
    }[k.type as string] ?? 'Keyword',
  ]),
);

/** Values fixed at start (from the sentence alone). */
export function initialSearchAttributes(sentence: SentenceInput): SearchAttributePair[] {
  return [
    { key: SA.orderType, value: sentence.order.type },
    { key: SA.phase, value: 'commenced' },
    { key: SA.areaCode, value: sentence.provider.areaCode },
    { key: SA.providerCode, value: sentence.provider.providerCode },
    { key: SA.roshLevel, value: sentence.offender.roshLevel },
    { key: SA.overdue, value: false },
    { key: SA.overdueOutputs, value: 0 },
    ...accessAttributes(sentence),
  ];
}

/** A limited-access case's lists, when it has them. */
function accessAttributes(sentence: SentenceInput): SearchAttributePair[] {
  const { restrictedTo, excluded } = sentence.access ?? {};
  return [
    ...(restrictedTo?.length ? [{ key: SA.restrictedTo, value: restrictedTo }] : []),
    ...(excluded?.length ? [{ key: SA.excludedStaff, value: excluded }] : []),
  ];
}

/** The patch after which the search attributes carry a case's access lists (contracts' accessAttributes). */
export const ACCESS_LISTS_INDEXED = 'access-lists-indexed';

/** The attributes searchAttributeUpdates computes itself rather than taking from initialSearchAttributes. */
const RECOMPUTED: string[] = [SA.phase, SA.overdue, SA.overdueOutputs, SA.restrictedTo, SA.excludedStaff].map((k) => k.name);

/**
 * The patch after which a sentence's state keeps to its bounds (domain/bounds.ts): the timeline and risk history cut
 * to their latest entries, rejected Signals counted, and a command that would pass a list's bound refused.
 */
export const BOUNDED_STATE = 'bounded-state';

/** The patch after which a workflow upserts only the search attributes whose values changed since its last upsert. */
export const CHANGED_SEARCH_ATTRIBUTES_ONLY = 'changed-search-attributes-only';

/**
 * The patch after which a command's Update answers with what it changed (domain/changes.ts CommandAnswer) rather than
 * the whole state: a sentence's history then grows by the size of each change, not of the case.
 */
export const COMMANDS_ANSWER_CHANGES = 'commands-answer-changes';

/**
 * The patch after which the workflow keeps its timer for the next moment time changes the case across the messages that
 * wake it, and starts a new one only when that moment moves (before it, every command cancelled the timer and started
 * the same one again: two history events and two timer writes on the server per command).
 */
export const WAKE_TIMER_KEPT = 'wake-timer-kept';

/**
 * The patch after which a command's Update, having applied and published the command, wakes the main loop only when
 * the loop has something to do for it (an effect, a delivery to start, a new moment for the timer, the case closed or
 * due to continue as new): before it, every command woke the loop to apply time, publish and wait again, work the
 * Update had already done.
 */
export const QUIET_COMMANDS = 'quiet-commands';

/**
 * The patch after which the read model's summary carries the case's work (domain/work.ts caseWorkOf): who holds it, its
 * open deadlines and its outputs' due dates, published whenever they change (the store keeps the work items).
 */
export const WORK_PUBLISHED = 'work-published';

/** The patch (workflows/sentence.ts) after which a sentence's case reference is no longer a search attribute. */
export const CASE_REFERENCE_NOT_INDEXED = 'case-reference-not-indexed';

/**
 * Every value as the state now gives it; null removes an attribute. `caseReference: true` is the behaviour recorded
 * before CASE_REFERENCE_NOT_INDEXED (the case reference upserted in clear), kept for the replay of those histories.
 */
export function searchAttributeUpdates(
  s: SentenceState,
  opts: { caseReference: boolean; accessLists?: boolean },
): SearchAttributeUpdatePair[] {
  const next = nextDeadline(s);
  // Provider, area and RoSH as they stand now: transfers and risk information change them.
  const current: SentenceInput = { ...s.sentence, provider: s.provider, offender: s.offender };
  return [
    ...initialSearchAttributes(current).filter((p) => !RECOMPUTED.includes(p.key.name)),
    { key: SA.phase, value: s.phase },
    { key: SA.overdue, value: isOverdue(s) },
    { key: SA.overdueOutputs, value: overdueOutputs(s.outputs) },
    { key: SA.offenderManagerId, value: s.offenderManagerId ?? null },
    { key: SA.nextDeadline, value: next ? new Date(`${next.dueDate}T00:00:00Z`) : null },
    { key: SA.caseReference, value: opts.caseReference ? s.sentence.caseReference : null },
    ...(opts.accessLists
      ? [
          { key: SA.restrictedTo, value: s.sentence.access?.restrictedTo?.length ? s.sentence.access.restrictedTo : null },
          { key: SA.excludedStaff, value: s.sentence.access?.excluded?.length ? s.sentence.access.excluded : null },
        ]
      : []),
  ];
}
