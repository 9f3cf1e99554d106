// The read model behind GET /reports/conformance: one small JSON file per sentence, written by the worker's
// publishLedger activity and read by the API. A write only replaces a file with a lower seq, so a late retry never
// overwrites newer data; files are replaced by rename, so a reader never sees half a file.
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LedgerSummary } from '../domain/outputs/conformance';

export interface LedgerStore {
  put(summary: LedgerSummary): Promise<void>;
  all(): Promise<LedgerSummary[]>;
}

export function fileLedgerStore(dir: string, readConcurrency = 64): LedgerStore {
  const fileOf = (sentenceId: string) => join(dir, `${encodeURIComponent(sentenceId)}.json`);
  const read = async (path: string): Promise<LedgerSummary | undefined> => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(text) as LedgerSummary;
    } catch {
      return undefined; // a damaged file: skipped (the next publish for that sentence rewrites it)
    }
  };
  return {
    async put(summary) {
      await mkdir(dir, { recursive: true });
      const path = fileOf(summary.sentenceId);
      const existing = await read(path);
      if (existing && existing.seq >= summary.seq) return;
      const tmp = `${path}.${process.pid}.${summary.seq}.tmp`;
      await writeFile(tmp, JSON.stringify(summary));
      await rename(tmp, path);
    },
    async all() {
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.json'));
      const out: LedgerSummary[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(readConcurrency, names.length) }, async () => {
          while (next < names.length) {
            const s = await read(join(dir, names[next++]!));
            if (s) out.push(s);
          }
        }),
      );
      return out;
    },
  };
}
