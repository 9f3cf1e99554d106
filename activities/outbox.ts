// Outboxes: where side effects land when no external endpoint is configured (the embedded default), so that the main
// job works out of the box and a person can read what was sent. Idempotent by key: a retried or replayed activity
// lands once.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface Keyed {
  idempotencyKey: string;
}

export interface Outbox<T extends Keyed> {
  /** Delivers the message; returns false when a message with the same key was already delivered. */
  deliver(message: T): Promise<boolean>;
}

/** Appends messages to a JSON Lines file. Writes are serialised within the process. */
export function jsonlOutbox<T extends Keyed>(path: string): Outbox<T> {
  let chain: Promise<unknown> = Promise.resolve();
  const deliver = async (message: T): Promise<boolean> => {
    await mkdir(dirname(path), { recursive: true });
    const existing = await readFile(path, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    if (existing.includes(`"idempotencyKey":${JSON.stringify(message.idempotencyKey)}`)) return false;
    await appendFile(path, `${JSON.stringify(message)}\n`);
    return true;
  };
  return {
    deliver(message) {
      const result = chain.then(() => deliver(message));
      chain = result.catch(() => undefined);
      return result;
    },
  };
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
