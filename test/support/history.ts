// The corpus of recorded histories, one set per release, append-only.
//
// - `test/histories/v<version>/` holds the histories recorded with release <version>'s code; the first release's
//   (v0.1.0) stay where that release wrote them, in `test/histories/` itself, never moved or rewritten. `npm run
//   record:histories` (RECORD_HISTORIES=1) writes into the set of the version in package.json, following
//   continue-as-new (`<name>.run<N>.json`).
// - A released set is sealed: `test/histories/SEALED.json` holds the SHA-256 of each of its files, the replay test
//   checks them, and recording refuses to write into a sealed set. A change that would need an old history re-recorded
//   is a change that breaks running sentences: guard it with patched() (or a new policy, law or calendar version)
//   instead, and record the new behaviour into the next release's set.
import type { WorkflowClient } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import protos, { type temporal as Temporal } from '@temporalio/proto';
import { decryptPayload } from '../../ops/codec.ts';
import { TEST_KEYRING } from './codec.ts';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../scripts/toolchain.mjs';

const { temporal } = protos;
const History = temporal.api.history.v1.History;
export type RecordedHistory = ReturnType<typeof History.fromObject>;

/** Reads a history written by recordHistory. */
export function historyFromFile(text: string): RecordedHistory {
  return History.fromObject(JSON.parse(text) as Record<string, unknown>);
}

export const HISTORIES_DIR = join(ROOT, 'test', 'histories');
export const SEAL_FILE = join(HISTORIES_DIR, 'SEALED.json');

/** The first release's set lies where it was recorded, at the top of test/histories. */
const FIRST_SET = 'v0.1.0';

/** The folder of a release's set. */
export function setDir(set: string): string {
  return set === FIRST_SET ? HISTORIES_DIR : join(HISTORIES_DIR, set);
}

/** The set this code records into: the version in package.json. */
export function currentSet(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  return `v${pkg.version}`;
}

/** Every release set in the corpus, oldest first. */
export function historySets(): string[] {
  const byVersion = (a: string, b: string) => {
    const pa = a.slice(1).split('.').map(Number);
    const pb = b.slice(1).split('.').map(Number);
    for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
    return 0;
  };
  const entries = readdirSync(HISTORIES_DIR, { withFileTypes: true });
  const first = entries.some((d) => d.isFile() && /\.run\d+\.json$/.test(d.name)) ? [FIRST_SET] : [];
  const later = entries.filter((d) => d.isDirectory() && /^v\d+\.\d+\.\d+$/.test(d.name)).map((d) => d.name);
  return [...first, ...later].sort(byVersion);
}

export interface CorpusHistory {
  set: string;
  /** `<name>.run<N>` */
  file: string;
  /** The scenario and run: `<set>/<name>.run<N>`. */
  workflowId: string;
  history: RecordedHistory;
}

/**
 * A history with its encrypted payloads decrypted (the tests' key: test/support/codec.ts) and its encoded failure
 * messages restored, for the code that reads what was recorded (the domain replay). Sets recorded before the codec
 * (v0.1.0, v0.2.0) have nothing to decrypt.
 */
export function decodeHistory(history: Temporal.api.history.v1.IHistory): RecordedHistory {
  const copy = History.decode(History.encode(history).finish());
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object' || node instanceof Uint8Array) return;
    if (Array.isArray(node)) return node.forEach(visit);
    const o = node as Record<string, unknown>;
    if (o.metadata && o.data instanceof Uint8Array) {
      const p = o as unknown as Payload;
      const plain = decryptPayload(TEST_KEYRING, p);
      if (plain !== p) Object.assign(o, { metadata: plain.metadata, data: plain.data });
      return;
    }
    for (const v of Object.values(o)) visit(v);
    // A failure's message and stack trace travel encoded (encodeCommonAttributes): put them back where they were.
    if (o.encodedAttributes && o.message === 'Encoded failure') {
      const attrs = defaultPayloadConverter.fromPayload<{ message?: string; stack_trace?: string }>(o.encodedAttributes as Payload);
      o.message = attrs.message ?? '';
      o.stackTrace = attrs.stack_trace ?? '';
    }
  };
  visit(copy);
  return copy;
}

/** Every recorded history of one set (or of all sets), in file order; decoded (decodeHistory) unless `raw`. */
export function loadCorpus(sets: string[] = historySets(), opts: { raw?: boolean } = {}): CorpusHistory[] {
  return sets.flatMap((set) =>
    readdirSync(setDir(set))
      .filter((f) => /\.run\d+\.json$/.test(f))
      .sort()
      .map((f) => ({
        set,
        file: f.replace(/\.json$/, ''),
        workflowId: `${set}/${f.replace(/\.json$/, '')}`,
        history: ((h) => (opts.raw ? h : decodeHistory(h)))(historyFromFile(readFileSync(join(setDir(set), f), 'utf8'))),
      })),
  );
}

export type Seals = Record<string, Record<string, string>>;

export function readSeals(): Seals {
  return existsSync(SEAL_FILE) ? (JSON.parse(readFileSync(SEAL_FILE, 'utf8')) as Seals) : {};
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The current SHA-256 of each file of a set, by file name. */
export function hashSet(set: string): Record<string, string> {
  const dir = setDir(set);
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.run\d+\.json$/.test(f))
      .sort()
      .map((f) => [f, sha256(readFileSync(join(dir, f)))]),
  );
}

/** Records every run of a finished workflow into the current set, when RECORD_HISTORIES=1. */
export async function recordHistory(
  name: string,
  client: { workflow: WorkflowClient },
  workflowId: string,
  firstRunId: string,
): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const set = currentSet();
  if (readSeals()[set]) throw new Error(`history set ${set} is sealed (released): bump the version in package.json to record a new set`);
  const dir = setDir(set);
  mkdirSync(dir, { recursive: true });
  const runs = await runHistories(client, workflowId, firstRunId);
  for (const [run, history] of runs.entries()) {
    const json = History.toObject(History.fromObject(history), { longs: String, enums: String, bytes: String });
    await writeFile(join(dir, `${name}.run${run}.json`), JSON.stringify(json));
  }
}

/** Every run's history of a workflow, from its first run (by default the one `describe` names), oldest first. */
export async function runHistories(client: { workflow: WorkflowClient }, workflowId: string, firstRunId?: string) {
  let runId: string | null | undefined =
    firstRunId ?? (await client.workflow.getHandle(workflowId).describe()).raw.workflowExecutionInfo?.firstRunId;
  const out = [];
  while (runId) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    out.push(history);
    runId = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
  }
  return out;
}
