// Adds a new calendar version from the GOV.UK bank-holiday feed (england-and-wales division): a new file
// domain/calendar/versions/ew-<today>.ts, registered last in versions/index.ts. Existing versions are never touched:
// running sentences keep the version they compute with until they continue as new (domain/calendar/index.ts).
// Run by hand on a machine with internet access: `npm run refresh:bank-holidays`, then `npm test` (the calendar tests
// cross-check the new list against the statutory rules; the frozen-versions test then asks for the new version's hash
// to be added beside the others) and commit both files with the date in the message.
// Usage: node scripts/refresh-bank-holidays.mjs [path-to-a-saved-bank-holidays.json] [--taken YYYY-MM-DD]
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './toolchain.mjs';

const FEED = 'https://www.gov.uk/bank-holidays.json';
const args = process.argv.slice(2);
const takenAt = args.indexOf('--taken');
const taken = takenAt >= 0 ? args.splice(takenAt, 2)[1] : new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(taken ?? '')) throw new Error(`--taken must be a date YYYY-MM-DD, got ${taken}`);
const source = args[0];
const feed = source ? JSON.parse(await readFile(source, 'utf8')) : await (await fetch(FEED)).json();
const events = feed['england-and-wales']?.events;
if (!Array.isArray(events) || events.length === 0) throw new Error('no england-and-wales events in the feed');
const rows = events
  .map((e) => ({ date: String(e.date), title: String(e.title), notes: e.notes ? String(e.notes) : undefined }))
  .sort((a, b) => a.date.localeCompare(b.date));
const firstYear = rows[0].date.slice(0, 4);
const lastYear = rows.at(-1).date.slice(0, 4);
const version = `ew-${taken}`;
const dir = join(ROOT, 'domain', 'calendar', 'versions');
const file = join(dir, `${version}.ts`);
if (existsSync(file)) throw new Error(`calendar version ${version} exists already: versions are immutable (use --taken for another date)`);

const lines = rows.map(
  (r) => `    { date: '${r.date}', title: ${JSON.stringify(r.title)}${r.notes ? `, notes: ${JSON.stringify(r.notes)}` : ''} },`,
);
await writeFile(
  file,
  `// England and Wales bank holidays, calendar version ${version}: a dated, committed snapshot, never fetched at run
// time, and frozen (test/unit/frozen.test.ts holds its hash): a refresh adds a new version beside it, never edits it.
//
// Source: the \`england-and-wales\` division of the GOV.UK feed (${FEED}), fetched ${taken}${source ? ` from a saved copy` : ''}.
// Years outside the snapshot fall back to the rule-based list in rules.ts.
// (generated file by scripts/refresh-bank-holidays.mjs: never edit by hand)

import type { CalendarSnapshot } from '../types';

export const CALENDAR: CalendarSnapshot = {
  version: '${version}',
  taken: '${taken}',
  firstYear: ${firstYear},
  lastYear: ${lastYear},
  holidays: [
${lines.join('\n')}
  ],
};
`,
);

const indexFile = join(dir, 'index.ts');
let index = await readFile(indexFile, 'utf8');
const name = version.toUpperCase().replace(/-/g, '_');
const imports = [...index.matchAll(/^import \{ CALENDAR as \w+ \} from '\.\/[\w-]+';$/gm)];
const last = imports.at(-1);
if (!last) throw new Error('versions/index.ts: no calendar imports found');
index =
  index.slice(0, last.index + last[0].length) +
  `\nimport { CALENDAR as ${name} } from './${version}';` +
  index.slice(last.index + last[0].length);
index = index.replace(/(export const CALENDAR_SNAPSHOTS: readonly CalendarSnapshot\[\] = \[[^\]]*)\];/, `$1, ${name}];`);
await writeFile(indexFile, index);
console.log(`added calendar version ${version}: ${rows.length} bank holidays, ${firstYear}-${lastYear}`);
