// The file-backed stores used by default: the JSON Lines outbox and the conformance read model.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileLedgerStore, jsonlOutbox } from '../../activities';
import type { LedgerSummary } from '../../domain/outputs/conformance';

const dir = () => mkdtempSync(join(tmpdir(), 'so-stores-'));
const summary = (sentenceId: string, seq: number, phase = 'allocated'): LedgerSummary => ({
  sentenceId,
  seq,
  orderType: 'CO',
  sentenceDate: '2026-11-23',
  areaCode: 'LDN',
  providerCode: 'N07',
  phase,
  outputs: [{ row: 1, applies: true, status: 'done' }],
});

describe('file stores', () => {
  it('appends each outbox message once per key, also across instances (a restarted worker)', async () => {
    const path = join(dir(), 'outbox.jsonl');
    const a = jsonlOutbox<{ idempotencyKey: string; n: number }>(path);
    expect(await Promise.all([a.deliver({ idempotencyKey: 'k1', n: 1 }), a.deliver({ idempotencyKey: 'k1', n: 1 })])).toEqual([
      true,
      false,
    ]);
    const b = jsonlOutbox<{ idempotencyKey: string; n: number }>(path);
    expect(await b.deliver({ idempotencyKey: 'k1', n: 1 })).toBe(false);
    expect(await b.deliver({ idempotencyKey: 'k2', n: 2 })).toBe(true);
    expect(
      readFileSync(path, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).idempotencyKey),
    ).toEqual(['k1', 'k2']);
  });

  it('keeps the newest summary per sentence and skips a damaged file', async () => {
    const d = dir();
    const store = fileLedgerStore(d);
    await store.put(summary('X1', 2, 'inducted'));
    await store.put(summary('X1', 1, 'allocated')); // a late retry of an older publish
    await store.put(summary('X/2', 1)); // ids are file-name safe
    writeFileSync(join(d, 'broken.json'), '{"sentenceId":');
    const all = (await store.all()).sort((x, y) => x.sentenceId.localeCompare(y.sentenceId));
    expect(all.map((s) => [s.sentenceId, s.seq, s.phase])).toEqual([
      ['X/2', 1, 'allocated'],
      ['X1', 2, 'inducted'],
    ]);
    expect(await fileLedgerStore(join(d, 'missing')).all()).toEqual([]);
  });
});
