// Tries the changes that break running sentences without breaking history replay (policy constants edited in place, a
// state field added without its upgrade, a calendar or law version edited in place, an unversioned rule constant
// changed) against a git ref, and reports which checks catch each. Run: `npm run check:mutations [-- <ref> ...]`
// (default: HEAD and v0.1.0, the release before the durability guard). Each ref is checked out in a temporary git
// worktree (node_modules and .tools linked from this checkout); the working tree here is never touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureToolchain, ROOT } from './toolchain.mjs';

const POLICY = 'domain/policy.ts';
const constant = (name, from, to) => ({ id: `${name} ${from}→${to}`, file: POLICY, find: `${name}: ${from},`, replace: `${name}: ${to},` });
const both = (name, value, by = 1) => [constant(name, value, value - by), constant(name, value, value + by)];

const MUTATIONS = [
  ...both('firstAppointmentBusinessDays', 5),
  ...both('planBusinessDaysAfterFirstAppointment', 15),
  ...both('reviewCycleWeeks', 16, 4),
  ...both('significantChangeReviewBusinessDays', 10),
  ...both('endOfSentenceReviewBusinessDays', 10),
  ...both('npsDecisionBusinessDays', 5),
  ...both('riskReviewBusinessDays', 5),
  ...both('transferAcceptanceBusinessDays', 20),
  ...both('drrReportLeadBusinessDays', 3),
  {
    id: 'state field added without its upgrade',
    edits: [
      {
        file: 'domain/lifecycle.ts',
        find: '    progress: emptyProgress(sentence.requirements),\n  };',
        replace: '    progress: emptyProgress(sentence.requirements),\n    overdueLog: [],\n  } as SentenceState;',
      },
      {
        file: 'domain/lifecycle.ts',
        find: "        d.status = 'overdue';",
        replace: "        d.status = 'overdue';\n        (s as unknown as { overdueLog: string[] }).overdueLog.push(d.id);",
      },
    ],
  },
  {
    id: 'bank holiday added in place (2026-12-02)',
    edits: [
      {
        file: ['domain/calendar/versions/ew-2026-11-23.ts', 'domain/calendar/bank-holidays.ts'],
        find: "{ date: '2026-12-25',",
        replace: "{ date: '2026-12-02', title: 'Proclaimed' },\n  { date: '2026-12-25',",
      },
    ],
  },
  {
    id: 'law version edited in place (credit 30→20 min)',
    file: 'domain/law.ts',
    find: 'creditMinutesPerHour: 30 }',
    replace: 'creditMinutesPerHour: 20 }',
  },
  {
    id: 'unversioned constant (breach action 10→9)',
    file: 'domain/enforcement.ts',
    find: 'BREACH_ACTION_BUSINESS_DAYS = 10;',
    replace: 'BREACH_ACTION_BUSINESS_DAYS = 9;',
  },
];

const CHECKS = [
  { name: 'history replay', files: ['test/replay/replay.test.ts'] },
  { name: 'domain replay', files: ['test/replay/domain-replay.test.ts'] },
  { name: 'frozen versions', files: ['test/unit/frozen.test.ts'] },
  { name: 'carried state', files: ['test/unit/carried-state.test.ts'] },
  { name: 'other unit tests', files: ['test/unit'] },
];

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
const tools = ensureToolchain({ quiet: true });
const env = { ...process.env, TEMPORAL_CLI_PATH: tools.cli, TEMPORAL_TEST_SERVER_PATH: tools.testServer };

/** One vitest run over every check's files; a check fails when any of its files has a failing test. */
function failingChecks(dir) {
  const files = [...new Set(CHECKS.flatMap((c) => c.files))].filter((f) => existsSync(join(dir, f)));
  const report = join(dir, '.mutation-report.json');
  run(join(dir, 'node_modules', '.bin', 'vitest'), ['run', ...files, '--reporter=json', `--outputFile=${report}`], { cwd: dir, env });
  const failed = existsSync(report)
    ? JSON.parse(readFileSync(report, 'utf8'))
        .testResults.filter((t) => t.status !== 'passed')
        .map((t) => t.name.slice(dir.length + 1))
    : ['(no report)'];
  rmSync(report, { force: true });
  // A failing file counts for the check that names it, or else for the check of its folder.
  const checkOf = (f) => CHECKS.find((c) => c.files.includes(f)) ?? CHECKS.find((c) => c.files.some((cf) => f.startsWith(`${cf}/`)));
  const names = new Set(failed.map((f) => checkOf(f)?.name ?? f));
  return CHECKS.map((c) => c.name).filter((n) => names.has(n));
}

function apply(dir, m) {
  const edits = m.edits ?? [{ file: m.file, find: m.find, replace: m.replace }];
  for (const e of edits) {
    const file = [e.file].flat().find((f) => existsSync(join(dir, f)));
    if (!file) return false;
    const text = readFileSync(join(dir, file), 'utf8');
    if (!text.includes(e.find)) return false;
    writeFileSync(join(dir, file), text.replace(e.find, e.replace));
  }
  return true;
}

const refs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['HEAD', 'v0.1.0'];
const results = {};
for (const ref of refs) {
  const dir = mkdtempSync(join(tmpdir(), 'so-mutations-'));
  rmSync(dir, { recursive: true });
  const add = run('git', ['worktree', 'add', '--detach', dir, ref], { cwd: ROOT });
  if (add.status !== 0) throw new Error(add.stderr);
  try {
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    if (existsSync(join(ROOT, '.tools'))) symlinkSync(join(ROOT, '.tools'), join(dir, '.tools'));
    const baseline = failingChecks(dir);
    process.stderr.write(`[mutations] ${ref}: unmutated, failing: ${baseline.join(', ') || 'none'}\n`);
    results[ref] = {};
    for (const m of MUTATIONS) {
      run('git', ['checkout', '--', '.'], { cwd: dir });
      if (!apply(dir, m)) {
        results[ref][m.id] = 'n/a';
        continue;
      }
      const caught = failingChecks(dir).filter((c) => !baseline.includes(c));
      results[ref][m.id] = caught.join(', ') || 'NOT CAUGHT';
      process.stderr.write(`[mutations] ${ref}: ${m.id}: ${results[ref][m.id]}\n`);
    }
  } finally {
    run('git', ['worktree', 'remove', '--force', dir], { cwd: ROOT });
  }
}

console.log(`| mutation | ${refs.join(' | ')} |`);
console.log(`| --- | ${refs.map(() => '---').join(' | ')} |`);
for (const m of MUTATIONS) console.log(`| ${m.id} | ${refs.map((r) => results[r][m.id]).join(' | ')} |`);
for (const r of refs) {
  const caught = MUTATIONS.filter((m) => results[r][m.id] !== 'NOT CAUGHT' && results[r][m.id] !== 'n/a').length;
  const replayCaught = MUTATIONS.filter((m) => results[r][m.id].includes('replay')).length;
  console.log(`${r}: ${caught} of ${MUTATIONS.length} caught; ${replayCaught} by a replay check`);
}
