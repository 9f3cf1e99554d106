// The messages activities send: one definition each. System outputs and alerts are defined with their rules in domain/.
export type { OutputMessage, Recipient } from '../domain/outputs/delivery.ts';
export type { Alert } from '../domain/alerts.ts';
