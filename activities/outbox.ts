// Outboxes: where a side effect lands, idempotent by key (a retried or replayed activity lands once). The main job's
// are the project store's alert log and delivery log (store/); the memory outbox is what tests read back.

export interface Keyed {
  idempotencyKey: string;
}

export interface Outbox<T extends Keyed> {
  /** Delivers the message; returns false when a message with the same key was already delivered. */
  deliver(message: T): Promise<boolean>;
}

/** Keeps messages in memory (tests, and embedding). */
export function memoryOutbox<T extends Keyed>(): Outbox<T> & { messages: T[] } {
  const messages: T[] = [];
  return {
    messages,
    async deliver(message) {
      if (messages.some((m) => m.idempotencyKey === message.idempotencyKey)) return false;
      messages.push(message);
      return true;
    },
  };
}
