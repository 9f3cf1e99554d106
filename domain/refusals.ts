// Why a command was refused, as a stable code beside the words: the API answers a refusal as an RFC 9457 problem
// whose type is the code (api/problems.ts), so a case system can act on it without reading the sentence. The words
// may be improved; a code, once published, is kept.
import type { Phase } from './state.ts';

export const REFUSAL_CODES = [
  /** The case is closed: it takes no more commands. */
  'sentence-closed',
  'unknown-command',
  /** Not in the case's current phase: `validIn` lists the phases where it is. */
  'not-valid-in-phase',
  /** A date that is not a calendar date, or outside the dates the system takes. */
  'date-not-valid',
  'date-in-future',
  /** Before the event it follows (the sentence date, a termination, the end of supervision, …). */
  'date-before-earliest',
  /** Sentencing Act 2020 Sch 10/16 para 6: a warning is not allowed now (a referral is). */
  'warning-not-allowed',
  /** Work of the supervision period (a review, a significant change) after an SSO's supervision period ended. */
  'supervision-ended',
  /** An early end the law does not give (rules 2): the words list the lawful routes. */
  'termination-route-not-lawful',
  /** Any other rule of the command (the words say which). */
  'command-refused',
] as const;

export type RefusalCode = (typeof REFUSAL_CODES)[number];

export interface Refusal {
  code: RefusalCode;
  reason: string;
  /** For not-valid-in-phase: where the command is valid. */
  validIn?: readonly Phase[];
}

export const isRefusalCode = (v: unknown): v is RefusalCode => typeof v === 'string' && (REFUSAL_CODES as readonly string[]).includes(v);

/** The refusal of a command not valid in the case's phase, in the words every such refusal uses. */
export function notValidInPhase(type: string, phase: Phase, validIn: readonly Phase[]): Refusal {
  return { code: 'not-valid-in-phase', reason: `${type} is not valid in phase ${phase} (valid in: ${validIn.join(', ')})`, validIn };
}
