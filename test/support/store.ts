// The project's store for a test file: a database of its own on the test run's PostgreSQL (postgres-global.ts),
// created and migrated on first use, closed after the file's tests. Lazily opened, so test helpers stay synchronous.
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { openStore, type Store } from '../../store/index.ts';

let opened: Promise<Store> | undefined;
let seq = 0;

/** A fresh, migrated database's URL (each call a new database). */
export async function freshDatabase(): Promise<string> {
  const admin = new URL(inject('postgresAdminUrl'));
  const name = `so_test_${process.pid}_${Date.now() % 1e8}_${++seq}`;
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  admin.pathname = `/${name}`;
  return admin.toString();
}

/** This file's store (one per test file). */
export function fileStore(): Promise<Store> {
  if (!opened) {
    opened = freshDatabase().then((url) => openStore(url, { max: 4 }));
    afterAll(async () => (await opened)?.close());
  }
  return opened;
}

/** A Store whose calls wait for this file's store to open: for synchronous setup code. */
export function lazyStore(): Store {
  const s = () => fileStore();
  return {
    ledgers: {
      put: async (x) => (await s()).ledgers.put(x),
      conformance: async (f) => (await s()).ledgers.conformance(f),
    },
    deliveries: {
      open: async (m, c) => (await s()).deliveries.open(m, c),
      settle: async (k, o) => (await s()).deliveries.settle(k, o),
      list: async (id) => (await s()).deliveries.list(id),
    },
    alerts: {
      deliver: async (a) => (await s()).alerts.deliver(a),
      list: async (id) => (await s()).alerts.list(id),
      forPerson: async (q) => (await s()).alerts.forPerson(q),
      acknowledge: async (q) => (await s()).alerts.acknowledge(q),
    },
    audit: {
      record: async (e) => (await s()).audit.record(e),
      query: async (q) => (await s()).audit.query(q),
      seenBy: async (id) => (await s()).audit.seenBy(id),
    },
    idempotency: {
      claim: async (k) => (await s()).idempotency.claim(k),
      prune: async () => (await s()).idempotency.prune(),
    },
    work: {
      worklist: async (q) => (await s()).work.worklist(q),
      caseload: async (q) => (await s()).work.caseload(q),
      team: async (q) => (await s()).work.team(q),
      history: async (id) => (await s()).work.history(id),
      dueBy: async (d) => (await s()).work.dueBy(d),
    },
    people: {
      open: async (m) => (await s()).people.open(m),
      settle: async (k, o) => (await s()).people.settle(k, o),
      list: async (id) => (await s()).people.list(id),
    },
    ping: async () => (await s()).ping(),
    figures: async () => (await s()).figures(),
    close: async () => undefined, // closed after the file's tests
  };
}
