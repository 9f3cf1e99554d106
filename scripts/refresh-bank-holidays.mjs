// Rewrites domain/calendar/bank-holidays.ts from the GOV.UK bank-holiday feed (england-and-wales division).
// Run by hand on a machine with internet access: `npm run refresh:bank-holidays`, then run `npm test` (the calendar
// tests cross-check the new list against the statutory rules) and commit the file with the date in the message.
// Usage: node scripts/refresh-bank-holidays.mjs [path-to-a-saved-bank-holidays.json]
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from './toolchain.mjs';

const FEED = 'https://www.gov.uk/bank-holidays.json';
const source = process.argv[2];
const feed = source ? JSON.parse(await readFile(source, 'utf8')) : await (await fetch(FEED)).json();
const events = feed['england-and-wales']?.events;
if (!Array.isArray(events) || events.length === 0) throw new Error('no england-and-wales events in the feed');
const rows = events
  .map((e) => ({ date: String(e.date), title: String(e.title), notes: e.notes ? String(e.notes) : undefined }))
  .sort((a, b) => a.date.localeCompare(b.date));
const firstYear = rows[0].date.slice(0, 4);
const lastYear = rows.at(-1).date.slice(0, 4);
const taken = new Date().toISOString().slice(0, 10);
const lines = rows.map((r) => `  { date: '${r.date}', title: ${JSON.stringify(r.title)}${r.notes ? `, notes: ${JSON.stringify(r.notes)}` : ''} },`);
const text = `// England and Wales bank holidays: a dated, committed snapshot. Never fetched at run time.
//
// Source: the \`england-and-wales\` division of the GOV.UK feed (${FEED}), fetched ${taken}${source ? ` from a saved copy (${source})` : ''}.
// Refresh: \`npm run refresh:bank-holidays\` (scripts/refresh-bank-holidays.mjs) rewrites this file from the feed.
// Years outside the snapshot fall back to the rule-based list in rules.ts.
// (generated file: edit by refreshing, not by hand)

export interface BankHoliday {
  readonly date: string;
  readonly title: string;
  readonly notes?: string;
}

export const SNAPSHOT_TAKEN = '${taken}';
export const SNAPSHOT_FIRST_YEAR = ${firstYear};
export const SNAPSHOT_LAST_YEAR = ${lastYear};

export const BANK_HOLIDAYS_ENGLAND_AND_WALES: readonly BankHoliday[] = [
${lines.join('\n')}
];
`;
await writeFile(join(ROOT, 'domain', 'calendar', 'bank-holidays.ts'), text);
console.log(`wrote ${rows.length} bank holidays, ${firstYear}-${lastYear}`);
