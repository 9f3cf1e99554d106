// Outboxes: where a side effect lands, idempotent by key (a retried or replayed activity lands once). The main job's
// are the project store's alert log and delivery log (store/), and so are the tests'.

export interface Keyed {
  idempotencyKey: string;
}

export interface Outbox<T extends Keyed> {
  /** Delivers the message; returns false when a message with the same key was already delivered. */
  deliver(message: T): Promise<boolean>;
}
