// The web service in a real browser (Debian's Chromium, headless, driven by playwright-core), against the API, a worker,
// a dev server and the embedded identity provider. A practitioner logs in by OpenID Connect, sees their caseload and a
// case, records appointments' outcomes, a warning (and downloads its letter), a referral (and its breach report),
// evidence, risk information and a transfer request, each refusal shown in words. A manager allocates from the case
// and from the team view, and reads the conformance dashboard, as an auditor does. The same journey works without
// JavaScript. Another area's practitioner is refused the case, as if it did not exist. Signing out needs the form's
// CSRF token and ends the identity provider's session. Each page passes axe-core's automated accessibility check,
// and its screenshot is kept in test/artifacts/web/.
import { mkdirSync, readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { createServer, get as httpGet } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonDate, periodEnd } from '../../domain/dates.ts';
import { ensureChromium } from '../../scripts/browser.mjs';
import { ROOT } from '../../scripts/toolchain.mjs';
import { migrate } from '../../store/index.ts';
import { createWebApp } from '../../web/app.ts';
import { testDeps } from '../support/deps.ts';
import { communityOrder, uniqueId } from '../support/fixtures.ts';
import { eventually } from '../support/poll.ts';
import { freshDatabase } from '../support/store.ts';
import { useApiHarness } from '../support/temporal.ts';

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');
const SHOTS = join(ROOT, 'test/artifacts/web');
// The web service's port is bound before anything else (its address is the client's redirect at the provider), and
// held: the app is attached to it once the API and the provider are up.
const server = createServer();
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const web = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const client = {
  clientId: 'so-web',
  clientSecret: 'web-client-secret-for-the-tests-only',
  redirectUris: [`${web}/auth/callback`],
  postLogoutRedirectUris: [`${web}/signed-out`],
};

const deps = testDeps();
const ctx = useApiHarness(deps, [], {}, { webClients: [client] });
let browser: Browser;
const today = londonDate(Date.now());
const london = communityOrder(today, periodEnd(today, 12), {
  sentenceId: uniqueId('WEB'),
  provider: { providerCode: 'N07', areaCode: 'LDN' },
});

let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await freshDatabase();
  await migrate(databaseUrl);
  const app = createWebApp({
    apiBase: ctx.base,
    issuer: ctx.idp.idp.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    audience: ctx.idp.idp.audience,
    baseUrl: web,
    sessionSecret: 'a-session-secret-for-the-tests-of-forty-characters',
    databaseUrl,
    auth: ctx.idp.auth,
  });
  server.on('request', app);
  const call = async (who: string, path: string, body: unknown) =>
    (
      await fetch(`${ctx.base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token(who)}` },
        body: JSON.stringify(body),
      })
    ).status;
  expect(await call('case-system', '/sentences', london)).toBe(201);
  expect(await call('spo-ldn', `/sentences/${london.sentenceId}/allocation`, { offenderManagerId: 'OM1' })).toBe(200);
  // The read model has the allocation (the caseload is read from it).
  await eventually(
    () => deps.store.work.caseload({ viewer: { id: 'OM1', kind: 'user', provider: 'N07', areas: ['LDN'] }, limit: 100 }),
    (cases) => cases.some((c) => c.sentenceId === london.sentenceId),
    'the allocation in the read model',
  );
  mkdirSync(SHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: ensureChromium(), args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A London case started by the case system, not yet allocated. */
async function newLondonCase(prefix: string) {
  const s = communityOrder(today, periodEnd(today, 12), {
    sentenceId: uniqueId(prefix),
    provider: { providerCode: 'N07', areaCode: 'LDN' },
  });
  const res = await fetch(`${ctx.base}/sentences`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await ctx.token('case-system')}` },
    body: JSON.stringify(s),
  });
  expect(res.status).toBe(201);
  return s;
}

/** A new browser signed in as a demo person, through the identity provider's login page, on their home page. */
async function signedIn(who: string, home = '/caseload', javaScriptEnabled = true): Promise<Page> {
  // bypassCSP: only so that the test can inject axe-core; the pages themselves run under the service's CSP.
  const page = await (await browser.newContext({ bypassCSP: true, javaScriptEnabled })).newPage();
  await page.goto(`${web}/`);
  await page.waitForURL(/\/interaction\//);
  await page.fill('#username', who);
  await page.fill('#password', `demo-secret-${who}`);
  await page.click('button[type=submit]');
  await page.waitForURL(`${web}${home}`);
  return page;
}

/** The status of a GET sent with its path exactly as given (no cookie). */
const rawStatus = (path: string) =>
  new Promise<number>((resolve, reject) =>
    httpGet({ host: '127.0.0.1', port: new URL(web).port, path }, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on(
      'error',
      reject,
    ),
  );

/** A date as the pages show it (e.g. 3 December 2026). */
const dayMonthYear = (iso: string) =>
  new Date(`${iso}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** The text a PDF shows, from its content streams (pdfkit writes each run as hex or literal strings). */
function pdfText(pdf: Buffer): string {
  const runs: string[] = [];
  for (const m of pdf.toString('latin1').matchAll(/stream\r?\n([\s\S]*?)endstream/g)) {
    let body = m[1]!;
    try {
      body = inflateSync(Buffer.from(body, 'latin1')).toString('latin1');
    } catch {
      // not compressed
    }
    for (const t of body.matchAll(/<([0-9a-fA-F]+)>|\(((?:\\.|[^\\)])*)\)/g)) {
      runs.push(t[1] ? Buffer.from(t[1], 'hex').toString('latin1') : t[2]!.replace(/\\(.)/g, '$1'));
    }
  }
  return runs.join('').replace(/\s+/g, ' ');
}

/** axe-core's violations on the page as it stands (none is the goal), and a screenshot of it. */
async function checked(page: Page, name: string): Promise<string[]> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  // The top of the page as a person first sees it (the README's screenshots are made from these).
  await page.screenshot({ path: join(SHOTS, `${name}-top.png`), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1400 } });
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const result = await (
      globalThis as unknown as { axe: { run: () => Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }
    ).axe.run();
    return result.violations.map((v) => `${v.id} (${v.nodes.length})`);
  });
  return violations;
}

describe('the web service', () => {
  it('logs a practitioner in, shows their caseload and the case, each page accessible', async () => {
    const started = performance.now();
    const page = await signedIn('practitioner-ldn');
    expect(await page.textContent('h1')).toBe('Your cases');
    expect(await page.getByRole('link', { name: london.sentenceId }).count()).toBeGreaterThan(0);
    expect(await page.textContent('body')).toContain('Signed in as OM1');
    expect(await checked(page, 'caseload')).toEqual([]);
    await page.getByRole('link', { name: london.sentenceId }).first().click();
    await page.waitForURL(`${web}/cases/${london.sentenceId}`);
    expect(await page.textContent('h1')).toBe(london.sentenceId);
    const summary = await page.textContent('.govuk-summary-list');
    expect(summary).toContain('Waiting for');
    expect(summary).toContain('N07/LDN, OM1');
    expect(await checked(page, 'case')).toEqual([]);
    console.log(`[web] log in, caseload and case page: ${Math.round(performance.now() - started)} ms`);
    // The session is kept server-side with the person's tokens sealed: no token in the table that the API would take.
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const rows = (await db.query<{ sess: { tokens?: string; person?: { id: string } } }>('SELECT sess FROM web_sessions')).rows;
    await db.end();
    const mine = rows.find((r) => r.sess.person?.id === 'OM1');
    expect(mine?.sess.tokens).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    // No JWT (a header and a payload, each base64url JSON, so each beginning eyJ) anywhere in the table.
    expect(JSON.stringify(rows)).not.toMatch(/eyJ[\w-]*\.eyJ[\w-]*\./);
    await page.context().close();
  });

  it('records an appointment\u2019s outcome, shows the enforcement prompt, takes a warning, and shows a refusal in words', async () => {
    const started = performance.now();
    const page = await signedIn('practitioner-ldn');
    await page.goto(`${web}/cases/${london.sentenceId}`);
    // A malformed date is refused by the API: the page says why, in an error summary, and nothing is booked.
    await page.fill('#appointmentId', 'A1');
    await page.fill('#date', '2026-13-01');
    await page.getByRole('button', { name: 'Book the appointment' }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain('The case could not take this');
    expect(await page.textContent('.govuk-error-summary')).toContain('date:');
    // As GOV.UK's error pattern has it: the summary leads to the field, the field shows its problem, and what was typed stays.
    expect(await page.textContent('.govuk-error-summary')).toContain('Check what you entered');
    expect(await page.locator('.govuk-error-summary a[href="#date"]').count()).toBe(1);
    expect(await page.textContent('#date-error')).toContain('date:');
    expect(await page.inputValue('#date')).toBe('2026-13-01');
    expect(await page.inputValue('#appointmentId')).toBe('A1');
    expect(await checked(page, 'case-refused')).toEqual([]);
    await page.fill('#appointmentId', 'A1');
    await page.fill('#date', today);
    await page.getByRole('button', { name: 'Book the appointment' }).click();
    await page.waitForURL(/done=Appointment%20booked/);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Appointment booked');
    // An unacceptable absence: the enforcement prompt, with what the law allows now.
    await page.check('#outcome-A1-4');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.waitForURL(/done=Outcome%20recorded/);
    const prompt = await page.textContent('#decision');
    expect(prompt).toContain(`Appointment A1: no warning within the 12 months before ${today}: a warning or a referral`);
    expect(await checked(page, 'case-enforcement')).toEqual([]);
    await page.check('#decision-A1');
    await page.fill('#circumstances-A1', 'Did not attend the appointment on the date given, and gave no reason');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/done=Enforcement%20decision%20recorded/);
    expect(await page.textContent('.govuk-summary-list:nth-of-type(2)')).toMatch(/Warnings in force\s*1/);
    // The warning letter: a PDF with what the statute requires of a warning (Sch 10 para 6(4)).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /download the warning letter/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`warning-${london.sentenceId}-A1.pdf`);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).toContain('Warning: failure to comply with your community order');
    expect(text).toContain('Did not attend the appointment on the date given, and gave no reason');
    expect(text).toContain('is unacceptable (Sentencing Act 2020 Sch 10 para 6(4)(b))');
    expect(text).toContain('referred to an enforcement officer');
    // A second failure within the warning's 12 months: the law allows only a referral, and the breach report follows.
    await page.fill('#appointmentId', 'A2');
    await page.fill('#date', today);
    await page.getByRole('button', { name: 'Book the appointment' }).click();
    await page.waitForURL(/done=Appointment%20booked/);
    await page.check('#outcome-A2-4');
    await page.getByRole('button', { name: 'Record the outcome' }).click();
    await page.waitForURL(/done=Outcome%20recorded/);
    expect(await page.textContent('#decision')).toContain('Appointment A2: a warning was given on');
    // No second warning: a referral, or (rules 2) a reasonable excuse shown, or waiting for the person's response.
    const decisions = await page
      .locator('input[name=decision]')
      .evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));
    expect(decisions).toEqual(['referral', 'excuse-accepted', 'pending-response']);
    await page.check('#decision-A2');
    await page.getByRole('button', { name: 'Record the decision' }).click();
    await page.waitForURL(/done=Enforcement%20decision%20recorded/);
    // Breach action needs the recommendation to the court: without one, the page says so, at the choice.
    await page.getByRole('button', { name: /Record the breach action/ }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain('Choose your recommendation to the court');
    expect(await page.getAttribute('.govuk-error-summary a', 'href')).toBe('#recommendation-A2');
    await page.check('#recommendation-A2-2');
    await page.getByRole('button', { name: /Record the breach action/ }).click();
    await page.waitForURL(/done=Breach%20action%20recorded/);
    // The recommendation is kept with the case: the report is made with it.
    expect((await page.textContent('#breach-A2'))?.replace(/\s+/g, ' ')).toContain(
      'recommending that the court order the offender to pay a fine',
    );
    const [report] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /download the breach report/ }).click(),
    ]);
    expect(report.suggestedFilename()).toBe(`breach-report-${london.sentenceId}-A2.pdf`);
    const breach = pdfText(readFileSync((await report.path())!));
    expect(breach).toContain('Breach report: failure to comply with a community order');
    expect(breach).toContain(`unacceptable absence at the appointment on ${today} (reference A2)`);
    expect(breach).toContain('the officer had to refer the matter (Sentencing Act 2020 Sch 10 para 6(2))');
    expect(breach).toContain(`Warning given on ${today} for A1`);
    expect(breach).toContain(`${today}: appointment A1, unacceptable absence`);
    expect(breach).toContain('Risk of serious harm now: medium');
    expect(breach).toContain('The responsible officer recommends that the court order the offender to pay a fine');
    expect(breach).toContain(`(Recorded with the breach action on ${today}.)`);
    console.log(`[web] book, record outcomes, a warning, a referral and the two documents: ${Math.round(performance.now() - started)} ms`);
    await page.context().close();
  });

  it('shows the outputs ledger, risk and who held the case, and takes evidence, risk information and a transfer request', async () => {
    const started = performance.now();
    const page = await signedIn('practitioner-ldn');
    await page.goto(`${web}/cases/${london.sentenceId}`);
    expect(await page.textContent('#ownership + table')).toContain('N07/LDN');
    expect(await page.textContent('#ownership + table')).toContain('OM1');
    // Evidence for an output a person delivers (row 6: the order explained, its details asking that it was
    // understood): its link opens the row's form, and the evidence is then listed against the row.
    await page.getByRole('link', { name: 'Add evidence to row 6' }).click();
    await page.waitForURL(/evidence=6/);
    expect(await page.textContent('#evidence-form h3')).toMatch(/^Add evidence to row 6: /);
    await page.fill('#evidence-what', 'The order, its requirements and what follows a failure explained at induction');
    // Without the understanding confirmed, the case refuses it, and says why.
    await page.getByRole('button', { name: 'Add the evidence' }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain(
      'Output 6 is evidenced only when understandingConfirmed is true (command-refused)',
    );
    await page.fill('#evidence-what', 'The order, its requirements and what follows a failure explained at induction');
    await page.check('#evidence-detail-understandingConfirmed');
    await page.fill('#evidence-reference', 'NDEL-42');
    await page.getByRole('button', { name: 'Add the evidence' }).click();
    await page.waitForURL(/done=Evidence%20recorded/);
    const ledgerRow = page.locator('#outputs + table tbody tr', { has: page.locator('td:first-child:text-is("6")') });
    expect(await ledgerRow.textContent()).toContain(
      'The order, its requirements and what follows a failure explained at induction, ref NDEL-42',
    );
    // Risk information: a higher RoSH, shown as an increase.
    await page.selectOption('#risk-rosh', 'high');
    await page.fill('#risk-source', 'OASYS');
    await page.getByRole('button', { name: 'Record the risk information' }).click();
    await page.waitForURL(/done=Risk%20information%20recorded/);
    expect(await page.textContent('#risk + dl')).toMatch(/Risk of serious harm \(RoSH\)\s*high/);
    expect((await page.textContent('#risk ~ table'))?.replace(/\s+/g, ' ')).toContain('OASYS high None Increased');
    // A transfer request without its reason is refused in words; with it, the case shows the request.
    await page.fill('#transfer-id', 'T1');
    await page.fill('#transfer-provider', 'N07');
    await page.fill('#transfer-area', 'KNT');
    await page.getByRole('button', { name: 'Request the transfer' }).click();
    expect(await page.textContent('.govuk-error-summary')).toContain('reasonCode:');
    expect(await page.textContent('#transfer-reason-error')).toContain('reasonCode:');
    expect(await page.inputValue('#transfer-area')).toBe('KNT');
    expect(await checked(page, 'case-transfer-refused')).toEqual([]);
    await page.fill('#transfer-id', 'T1');
    await page.fill('#transfer-provider', 'N07');
    await page.fill('#transfer-area', 'KNT');
    await page.fill('#transfer-reason', 'MOVED');
    await page.getByRole('button', { name: 'Request the transfer' }).click();
    await page.waitForURL(/done=Transfer%20requested/);
    const transfers = page.locator('table', { has: page.locator('caption', { hasText: 'Transfers' }) });
    expect((await transfers.textContent())?.replace(/\s+/g, ' ')).toContain(`T1 ${dayMonthYear(today)} N07/KNT requested`);
    expect(await checked(page, 'case-outputs-risk')).toEqual([]);
    console.log(`[web] evidence, risk and a transfer request: ${Math.round(performance.now() - started)} ms`);
    await page.context().close();
  });

  it('lets an area\u2019s manager allocate a case from its page', async () => {
    const s = await newLondonCase('WEBA');
    const page = await signedIn('spo-ldn');
    await page.goto(`${web}/cases/${s.sentenceId}`);
    expect(await page.textContent('.govuk-summary-list')).toContain('N07/LDN, not allocated');
    await page.fill('#offenderManagerId', 'OM2');
    await page.getByRole('button', { name: 'Allocate' }).click();
    await page.waitForURL(/done=Case%20allocated/);
    expect(await page.textContent('.govuk-summary-list')).toContain('N07/LDN, OM2');
    expect(await checked(page, 'case-manager')).toEqual([]);
    await page.context().close();
  });

  it('shows a manager the team by workload and allocates an unallocated case from it', async () => {
    const started = performance.now();
    const s = await newLondonCase('WEBT');
    const page = await signedIn('spo-ldn');
    // The team view is read from the read model: the new case appears there shortly.
    await eventually(
      async () => (await page.goto(`${web}/team`), await page.locator(`#allocate-${s.sentenceId}`).count()),
      (n) => n === 1,
      'the new case among the unallocated',
    );
    expect(await page.textContent('h1')).toBe('Your team');
    const om1 = page.locator('#workload + table tbody tr', { has: page.locator('td:first-child:text-is("OM1")') });
    expect(await om1.textContent()).toContain(london.sentenceId);
    expect(await checked(page, 'team')).toEqual([]);
    await page.selectOption(`#officer-${s.sentenceId}`, 'OM1');
    await page.getByRole('button', { name: `Allocate ${s.sentenceId}` }).click();
    await page.waitForURL(`${web}/team?area=LDN&done=Case%20allocated`);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Case allocated');
    await eventually(
      async () => (await page.goto(`${web}/team`), await om1.textContent()),
      (text) => text?.includes(s.sentenceId) === true,
      'the case held by OM1',
    );
    expect(await page.locator(`#allocate-${s.sentenceId}`).count()).toBe(0);
    console.log(`[web] team view and allocation by workload: ${Math.round(performance.now() - started)} ms`);
    await page.context().close();
  });

  it('shows the conformance dashboard with its charts, filtered, to a manager and an auditor', async () => {
    const page = await signedIn('spo-ldn');
    await page.goto(`${web}/dashboard`);
    expect(await page.textContent('h1')).toBe('Conformance');
    const chart = page.locator('svg.so-chart').first();
    expect(await chart.getAttribute('aria-label')).toMatch(/^All rows: On time \d+, Late \d+, Overdue \d+, Not possible \d+, Open \d+$/);
    expect(Number(/(\d+) cases/.exec((await page.textContent('h2')) ?? '')?.[1])).toBeGreaterThanOrEqual(1);
    expect(await page.locator('table tbody tr').count()).toBeGreaterThan(0);
    expect(await checked(page, 'dashboard')).toEqual([]);
    // A filter the API refuses: the page says which field, and why.
    const bad = await page.goto(`${web}/dashboard?area=LDN&from=2026-13-01`);
    expect(bad?.status()).toBe(400);
    expect(await page.textContent('.govuk-error-summary')).toContain('from:');
    // A period with no sentences: nothing applied.
    await page.goto(`${web}/dashboard?area=LDN&from=2001-01-01&to=2001-12-31`);
    expect(await page.textContent('h2')).toContain('0 cases, 0 outputs');
    await page.context().close();
    const auditor = await signedIn('auditor', '/dashboard');
    expect(await auditor.textContent('h1')).toBe('Conformance');
    await auditor.context().close();
  });

  it('works without JavaScript: sign in, the caseload, a case, booking an appointment, the team and the dashboard', async () => {
    const started = performance.now();
    // With scripts, under the service's own CSP (no bypass), GOV.UK Frontend's inline script runs (its nonce) and
    // marks the page; without them the page is not marked, and everything below still works.
    const scripted = await (await browser.newContext()).newPage();
    await scripted.goto(`${web}/signed-out`);
    expect(await scripted.getAttribute('body', 'class')).toContain('govuk-frontend-supported');
    await scripted.context().close();
    const page = await signedIn('spo-ldn', '/caseload', false);
    expect(await page.getAttribute('body', 'class')).not.toContain('js-enabled');
    expect(await page.textContent('h1')).toBe('Your cases');
    await page.goto(`${web}/cases/${london.sentenceId}`);
    await page.fill('#appointmentId', 'NOJS1');
    await page.fill('#date', today);
    await page.getByRole('button', { name: 'Book the appointment' }).click();
    await page.waitForURL(/done=Appointment%20booked/);
    expect(await page.textContent('#appointments + table')).toContain('NOJS1');
    // The outputs that do not apply are behind a details element, which opens without a script.
    await page.locator('details summary').first().click();
    expect(await page.locator('details[open]').count()).toBe(1);
    await page.goto(`${web}/team`);
    expect(await page.textContent('h1')).toBe('Your team');
    await page.goto(`${web}/dashboard`);
    expect(await page.locator('svg.so-chart').count()).toBeGreaterThan(1);
    console.log(`[web] the journey without JavaScript: ${Math.round(performance.now() - started)} ms`);
    await page.context().close();
  });

  it('refuses another area\u2019s practitioner the case, as if there were none', async () => {
    const page = await signedIn('practitioner-knt');
    // A signed-in person's pages are not cached; an id the API would not take is no page (not an API path).
    const own = await page.goto(`${web}/caseload`);
    expect(own?.headers()['cache-control']).toBe('no-store');
    // (Sent as is: a browser would resolve the dots before sending.)
    expect(await rawStatus('/cases/%2E%2E')).toBe(404);
    expect(await rawStatus('/cases/A1%2F..')).toBe(404);
    expect(await rawStatus(`/cases/${london.sentenceId}`)).toBe(302);
    const res = await page.goto(`${web}/cases/${london.sentenceId}`);
    expect(res?.status()).toBe(404);
    expect(await page.textContent('h1')).toBe('Page not found');
    expect(await checked(page, 'not-found')).toEqual([]);
    await page.context().close();
  });

  it('signs out only with the form\u2019s CSRF token, and asks for a sign-in after', async () => {
    const page = await signedIn('practitioner-ldn');
    // A cross-site post (no token) is refused; the session stays.
    const forged = await page.request.post(`${web}/sign-out`, { form: {}, maxRedirects: 0 });
    expect(forged.status()).toBe(403);
    await page.goto(`${web}/caseload`);
    expect(await page.textContent('h1')).toBe('Your cases');
    await page.getByRole('button', { name: 'Sign out' }).click();
    // The identity provider's session ends too (RP-initiated logout): it asks, then sends the browser back.
    await page.waitForURL(/\/session\/end/);
    await page.getByRole('button', { name: /sign me out/i }).click();
    await page.waitForURL(`${web}/signed-out`);
    expect(await checked(page, 'signed-out')).toEqual([]);
    // A visitor who is not signed in is given no session (no row, no cookie).
    expect((await fetch(`${web}/signed-out`)).headers.get('set-cookie')).toBeNull();
    // The service's session is gone: a page sends the browser to sign in again.
    const after = await page.request.get(`${web}/caseload`, { maxRedirects: 0 });
    expect([after.status(), after.headers().location]).toEqual([302, '/sign-in?returnTo=%2Fcaseload']);
    // And signing in again asks for the password: the provider kept no session to sign in with silently.
    await page.goto(`${web}/caseload`);
    await page.waitForURL(/\/interaction\//);
    expect(await page.locator('#password').count()).toBe(1);
    await page.context().close();
  });
});
